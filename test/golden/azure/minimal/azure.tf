# azure.tf: written by scomfw from the plan of management group LAB (catalog 2024-11, phase install).
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

# management-server+operations-console: attach to scom01
resource "azurerm_network_security_group" "management-server_operations-console" {
  name                = "scom-LAB-management-server_operations-console"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "scom01"
  }
}

resource "azurerm_network_security_rule" "management-server_operations-console__tcp-5723-v4" {
  name                         = "tcp-5723-v4"
  description                  = "agent to management server (TCP 5723) from servers [2024-11#16]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5723"]
  source_address_prefixes      = ["10.1.1.0/24"]
  destination_address_prefixes = ["10.1.0.10/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_operations-console.name
}

resource "azurerm_network_security_rule" "management-server_operations-console__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server_operations-console.name
}

# operational-database+data-warehouse: attach to sql01
resource "azurerm_network_security_group" "operational-database_data-warehouse" {
  name                = "scom-LAB-operational-database_data-warehouse"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "sql01"
  }
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-135_445_49152-65535-v4-install" {
  name              = "tcp-135_445_49152-65535-v4-install"
  description       = "management server to data warehouse, operational database (TCP 135, 445, 49152-65535) from scom01 [2024-11#1 2024-11#6] install only"
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
  source_address_prefixes      = ["10.1.0.10/32"]
  destination_address_prefixes = ["10.1.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-1433-v4" {
  name                         = "tcp-1433-v4"
  description                  = "management server to data warehouse, operational database (TCP 1433) from scom01 [2024-11#1 2024-11#6]"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["1433"]
  source_address_prefixes      = ["10.1.0.10/32"]
  destination_address_prefixes = ["10.1.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__udp-137-v4-install" {
  name                         = "udp-137-v4-install"
  description                  = "management server to data warehouse, operational database (UDP 137) from scom01 [2024-11#1 2024-11#6] install only"
  priority                     = 102
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["137"]
  source_address_prefixes      = ["10.1.0.10/32"]
  destination_address_prefixes = ["10.1.0.20/32"]
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
