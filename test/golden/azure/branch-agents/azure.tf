# azure.tf: written by scomfw from the plan of management group BRANCH (catalog 2024-11, phase install).
# Do not edit it by hand: change the deployment file and render again, then terraform plan and apply.
#
# One network security group per set of hosts that play the same roles and accept the same flows: associate
# it with those hosts' network interfaces (the tag scomfw-attach-to names them). Every rule names its
# destination addresses too, so no other host gains a flow even where the group sits on a subnet.
# Sources are merged into the fewest exact prefixes, one rule per set of sources that share their ports.
# Azure allows 1,000 rules and 4,000 source and 4,000 destination addresses per group (counted over all its
# rules). A set that needs more is split by its hosts into parts (-2, -3, ...), each with all the rules.
# Priorities run from 100 upward in the order below; all rules allow, so their order changes nothing.
# No final deny rule is written: Azure ends every group with DenyAllInBound (65500). Its AllowVnetInBound
# (65000) rule, though, lets every source inside the virtual network in: set deny_other_vnet_inbound to
# add a deny at priority 4096, after allowing your own management access (RDP, SSH, backup, monitoring).
# Azure cannot narrow ICMP to echo requests: the Icmp rules allow every ICMP type from their sources.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 3.0"
    }
  }
}

provider "azurerm" {
  features {
  }
}

variable "resource_group_name" {
  type        = string
  description = "The resource group the network security groups are created in."
}

variable "location" {
  type        = string
  description = "The Azure region of the network security groups."
}

variable "deny_other_vnet_inbound" {
  type        = bool
  default     = false
  description = "Add a deny rule at priority 4096 so sources inside the virtual network get only the planned flows."
}

# agent: attach to app01.branch.example, app02.branch.example, app03.branch.example
resource "azurerm_network_security_group" "agent" {
  name                = "scom-BRANCH-agent"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "app01.branch.example app02.branch.example app03.branch.example"
  }
}

resource "azurerm_network_security_rule" "agent__tcp-135_139_445_49152-65535-v4-install" {
  name              = "tcp-135_139_445_49152-65535-v4-install"
  description       = "management server to agent (TCP 135, 139, 445, 49152-65535) from ms01.branch.example [2024-11#18] install only"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "135",
    "139",
    "445",
    "49152-65535",
  ]
  source_address_prefixes = ["10.20.0.11/32"]
  destination_address_prefixes = [
    "10.20.5.11/32",
    "10.20.5.12/31",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.agent.name
}

resource "azurerm_network_security_rule" "agent__udp-137-138-v4-install" {
  name                    = "udp-137-138-v4-install"
  description             = "management server to agent (UDP 137-138) from ms01.branch.example [2024-11#18] install only"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["137-138"]
  source_address_prefixes = ["10.20.0.11/32"]
  destination_address_prefixes = [
    "10.20.5.11/32",
    "10.20.5.12/31",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.agent.name
}

resource "azurerm_network_security_rule" "agent__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.agent.name
}

# domain-controller: attach to dc01.branch.example
resource "azurerm_network_security_group" "domain-controller" {
  name                = "scom-BRANCH-domain-controller"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "dc01.branch.example"
  }
}

resource "azurerm_network_security_rule" "domain-controller__tcp-53_88_389-v4" {
  name              = "tcp-53_88_389-v4"
  description       = "management server to domain controller (TCP 53, 88, 389) from ms01.branch.example, ms02.branch.example [2024-11#3]"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "53",
    "88",
    "389",
  ]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.0.12/32",
  ]
  destination_address_prefixes = ["10.20.0.5/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.domain-controller.name
}

resource "azurerm_network_security_rule" "domain-controller__udp-53_88_389-v4" {
  name              = "udp-53_88_389-v4"
  description       = "management server to domain controller (UDP 53, 88, 389) from ms01.branch.example, ms02.branch.example [2024-11#3]"
  priority          = 101
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Udp"
  source_port_range = "*"
  destination_port_ranges = [
    "53",
    "88",
    "389",
  ]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.0.12/32",
  ]
  destination_address_prefixes = ["10.20.0.5/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.domain-controller.name
}

resource "azurerm_network_security_rule" "domain-controller__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.domain-controller.name
}

# gateway: attach to gw01.branch.example
resource "azurerm_network_security_group" "gateway" {
  name                = "scom-BRANCH-gateway"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "gw01.branch.example"
  }
}

resource "azurerm_network_security_rule" "gateway__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent to gateway (TCP 5723) from pos01.branch.example, pos02.branch.example, pos03.branch.example and 9 more [2024-11#17]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.21.1.11/32",
    "10.21.1.12/30",
    "10.21.1.16/30",
    "10.21.1.20/31",
    "10.21.1.22/32",
  ]
  destination_address_prefixes = ["10.21.0.5/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.gateway.name
}

resource "azurerm_network_security_rule" "gateway__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.gateway.name
}

# unix-agent: attach to lnx01.branch.example, lnx02.branch.example
resource "azurerm_network_security_group" "unix-agent" {
  name                = "scom-BRANCH-unix-agent"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "lnx01.branch.example lnx02.branch.example"
  }
}

resource "azurerm_network_security_rule" "unix-agent__tcp-22_1270-v4" {
  name              = "tcp-22_1270-v4"
  description       = "management server to UNIX/Linux agent (TCP 22, 1270) from ms02.branch.example [2024-11#19 2024-11#20]"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "22",
    "1270",
  ]
  source_address_prefixes = ["10.20.0.12/32"]
  destination_address_prefixes = [
    "10.20.6.11/32",
    "10.20.6.12/32",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.unix-agent.name
}

resource "azurerm_network_security_rule" "unix-agent__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.unix-agent.name
}

# management-server-ms01.branch.example: attach to ms01.branch.example
resource "azurerm_network_security_group" "management-server-ms01_branch_example" {
  name                = "scom-BRANCH-management-server-ms01.branch.example"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms01.branch.example"
  }
}

resource "azurerm_network_security_rule" "management-server-ms01_branch_example__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent, gateway, management server to management server (TCP 5723) from 5 sources [2024-11#2 2024-11#5 2024-11#16 2024-11#22]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.20.0.12/32",
    "10.20.5.11/32",
    "10.20.5.12/31",
    "10.21.0.5/32",
  ]
  destination_address_prefixes = ["10.20.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms01_branch_example.name
}

resource "azurerm_network_security_rule" "management-server-ms01_branch_example__tcp-5724-v4-install" {
  name                         = "tcp-5724-v4-install"
  description                  = "management server to management server (TCP 5724) from ms02.branch.example [2024-11#2] install only"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["10.20.0.12/32"]
  destination_address_prefixes = ["10.20.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms01_branch_example.name
}

resource "azurerm_network_security_rule" "management-server-ms01_branch_example__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.management-server-ms01_branch_example.name
}

# management-server-ms02.branch.example: attach to ms02.branch.example
resource "azurerm_network_security_group" "management-server-ms02_branch_example" {
  name                = "scom-BRANCH-management-server-ms02.branch.example"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms02.branch.example"
  }
}

resource "azurerm_network_security_rule" "management-server-ms02_branch_example__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent, gateway, management server to management server (TCP 5723) from 5 sources [2024-11#2 2024-11#5 2024-11#16 2024-11#22]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.5.11/32",
    "10.20.5.12/31",
    "10.21.0.5/32",
  ]
  destination_address_prefixes = ["10.20.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_branch_example.name
}

resource "azurerm_network_security_rule" "management-server-ms02_branch_example__tcp-5724-v4-install" {
  name                         = "tcp-5724-v4-install"
  description                  = "management server to management server (TCP 5724) from ms01.branch.example [2024-11#2] install only"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["10.20.0.11/32"]
  destination_address_prefixes = ["10.20.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_branch_example.name
}

resource "azurerm_network_security_rule" "management-server-ms02_branch_example__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.management-server-ms02_branch_example.name
}

# operational-database+data-warehouse: attach to sql01.branch.example
resource "azurerm_network_security_group" "operational-database_data-warehouse" {
  name                = "scom-BRANCH-operational-database_data-warehouse"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "sql01.branch.example"
  }
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-135_445_49152-65535-v4-install" {
  name              = "tcp-135_445_49152-65535-v4-install"
  description       = "management server to data warehouse, operational database (TCP 135, 445, 49152-65535) from 2 sources [2024-11#1 2024-11#6] install only"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "135",
    "445",
    "49152-65535",
  ]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.0.12/32",
  ]
  destination_address_prefixes = ["10.20.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-1433-v4" {
  name                    = "tcp-1433-v4"
  description             = "management server to data warehouse, operational database (TCP 1433) from ms01.branch.example, ms02.branch.example [2024-11#1 2024-11#6]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["1433"]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.0.12/32",
  ]
  destination_address_prefixes = ["10.20.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__udp-137-v4-install" {
  name                    = "udp-137-v4-install"
  description             = "management server to data warehouse, operational database (UDP 137) from ms01.branch.example and 1 more [2024-11#1 2024-11#6] install only"
  priority                = 102
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["137"]
  source_address_prefixes = [
    "10.20.0.11/32",
    "10.20.0.12/32",
  ]
  destination_address_prefixes = ["10.20.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__deny-other-vnet-inbound" {
  count                       = var.deny_other_vnet_inbound ? 1 : 0
  name                        = "deny-other-vnet-inbound"
  description                 = "Sources inside the virtual network reach these hosts only through the rules above."
  priority                    = 4096
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.operational-database_data-warehouse.name
}
