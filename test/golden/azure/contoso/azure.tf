# azure.tf: written by scomfw from the plan of management group CONTOSO (catalog 2024-11, phase install).
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

# network-device: attach to core-switches
resource "azurerm_network_security_group" "network-device" {
  name                = "scom-CONTOSO-network-device"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "core-switches"
  }
}

resource "azurerm_network_security_rule" "network-device__udp-161-v4" {
  name                    = "udp-161-v4"
  description             = "management server to network device (UDP 161) from ms02.contoso.com [2024-11#4]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["161"]
  source_address_prefixes = ["10.0.1.12/32"]
  destination_address_prefixes = [
    "10.0.254.1/32",
    "10.0.254.2/31",
    "10.0.254.4/32",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.network-device.name
}

resource "azurerm_network_security_rule" "network-device__icmp-echo-v4" {
  name                    = "icmp-echo-v4"
  description             = "management server to network device (ICMP echo) from ms02.contoso.com [2024-11#4]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Icmp"
  source_port_range       = "*"
  destination_port_range  = "*"
  source_address_prefixes = ["10.0.1.12/32"]
  destination_address_prefixes = [
    "10.0.254.1/32",
    "10.0.254.2/31",
    "10.0.254.4/32",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.network-device.name
}

resource "azurerm_network_security_rule" "network-device__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.network-device.name
}

# domain-controller: attach to dc01.contoso.com, dc02.contoso.com
resource "azurerm_network_security_group" "domain-controller" {
  name                = "scom-CONTOSO-domain-controller"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "dc01.contoso.com dc02.contoso.com"
  }
}

resource "azurerm_network_security_rule" "domain-controller__tcp-53_88_389-v4" {
  name              = "tcp-53_88_389-v4"
  description       = "management server to domain controller (TCP 53, 88, 389) from ms01.contoso.com, ms02.contoso.com, ms03.contoso.com [2024-11#3]"
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
    "10.0.1.11/32",
    "10.0.1.12/31",
  ]
  destination_address_prefixes = [
    "10.0.0.5/32",
    "10.0.0.6/32",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.domain-controller.name
}

resource "azurerm_network_security_rule" "domain-controller__udp-53_88_389-v4" {
  name              = "udp-53_88_389-v4"
  description       = "management server to domain controller (UDP 53, 88, 389) from ms01.contoso.com, ms02.contoso.com, ms03.contoso.com [2024-11#3]"
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
    "10.0.1.11/32",
    "10.0.1.12/31",
  ]
  destination_address_prefixes = [
    "10.0.0.5/32",
    "10.0.0.6/32",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.domain-controller.name
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

# agent-dmz-web-servers: attach to dmz-web-servers
resource "azurerm_network_security_group" "agent-dmz-web-servers" {
  name                = "scom-CONTOSO-agent-dmz-web-servers"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "dmz-web-servers"
  }
}

resource "azurerm_network_security_rule" "agent-dmz-web-servers__tcp-135_139_445_49152-65535-v4-install" {
  name              = "tcp-135_139_445_49152-65535-v4-install"
  description       = "gateway to agent (TCP 135, 139, 445, 49152-65535) from gw01.dmz.contoso.com [2024-11#18] install only"
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
  source_address_prefixes = ["192.168.50.5/32"]
  destination_address_prefixes = [
    "192.168.50.16/28",
    "192.168.50.40/30",
    "192.168.50.44/31",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.agent-dmz-web-servers.name
}

resource "azurerm_network_security_rule" "agent-dmz-web-servers__udp-137-138-v4-install" {
  name                    = "udp-137-138-v4-install"
  description             = "gateway to agent (UDP 137-138) from gw01.dmz.contoso.com [2024-11#18] install only"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["137-138"]
  source_address_prefixes = ["192.168.50.5/32"]
  destination_address_prefixes = [
    "192.168.50.16/28",
    "192.168.50.40/30",
    "192.168.50.44/31",
  ]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.agent-dmz-web-servers.name
}

resource "azurerm_network_security_rule" "agent-dmz-web-servers__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.agent-dmz-web-servers.name
}

# agent-file01.contoso.com: attach to file01.contoso.com
resource "azurerm_network_security_group" "agent-file01_contoso_com" {
  name                = "scom-CONTOSO-agent-file01.contoso.com"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "file01.contoso.com"
  }
}

resource "azurerm_network_security_rule" "agent-file01_contoso_com__tcp-135_139_445_49152-65535-v4-install" {
  name              = "tcp-135_139_445_49152-65535-v4-install"
  description       = "management server to agent (TCP 135, 139, 445, 49152-65535) from ms01.contoso.com [2024-11#18] install only"
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
  source_address_prefixes      = ["10.0.1.11/32"]
  destination_address_prefixes = ["10.21.5.7/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.agent-file01_contoso_com.name
}

resource "azurerm_network_security_rule" "agent-file01_contoso_com__udp-137-138-v4-install" {
  name                         = "udp-137-138-v4-install"
  description                  = "management server to agent (UDP 137-138) from ms01.contoso.com [2024-11#18] install only"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["137-138"]
  source_address_prefixes      = ["10.0.1.11/32"]
  destination_address_prefixes = ["10.21.5.7/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.agent-file01_contoso_com.name
}

resource "azurerm_network_security_rule" "agent-file01_contoso_com__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.agent-file01_contoso_com.name
}

# gateway: attach to gw01.dmz.contoso.com
resource "azurerm_network_security_group" "gateway" {
  name                = "scom-CONTOSO-gateway"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "gw01.dmz.contoso.com"
  }
}

resource "azurerm_network_security_rule" "gateway__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent to gateway (TCP 5723) from dmz-web-servers [2024-11#17]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "192.168.50.16/28",
    "192.168.50.40/30",
    "192.168.50.44/31",
  ]
  destination_address_prefixes = ["192.168.50.5/32"]
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

# unix-agent: attach to linux-app-servers
resource "azurerm_network_security_group" "unix-agent" {
  name                = "scom-CONTOSO-unix-agent"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "linux-app-servers"
  }
}

resource "azurerm_network_security_rule" "unix-agent__tcp-22_1270-v4" {
  name              = "tcp-22_1270-v4"
  description       = "management server to UNIX/Linux agent (TCP 22, 1270) from ms03.contoso.com [2024-11#19 2024-11#20]"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "22",
    "1270",
  ]
  source_address_prefixes      = ["10.0.1.13/32"]
  destination_address_prefixes = ["10.30.0.0/24"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.unix-agent.name
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

# management-server+acs-collector: attach to ms01.contoso.com
resource "azurerm_network_security_group" "management-server_acs-collector" {
  name                = "scom-CONTOSO-management-server_acs-collector"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms01.contoso.com"
  }
}

resource "azurerm_network_security_rule" "management-server_acs-collector__tcp-5723-5724-v4" {
  name                    = "tcp-5723-5724-v4"
  description             = "management server, reporting server to management server (TCP 5723-5724) from ms01.fabrikam.com, rpt01.contoso.com [2024-11#7 2024-11#15]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723-5724"]
  source_address_prefixes = [
    "10.0.1.30/32",
    "10.80.0.5/32",
  ]
  destination_address_prefixes = ["10.0.1.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent, management server to management server (TCP 5723) from file01.contoso.com, ms02.contoso.com, ms03.contoso.com [2024-11#2 2024-11#16]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.0.1.12/31",
    "10.21.5.7/32",
  ]
  destination_address_prefixes = ["10.0.1.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector__tcp-5723_51909-v4" {
  name              = "tcp-5723_51909-v4"
  description       = "ACS forwarder, agent to ACS collector, management server (TCP 5723, 51909) from corp-servers [2024-11#16 2024-11#23]"
  priority          = 102
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "5723",
    "51909",
  ]
  source_address_prefixes = [
    "10.20.0.0/16",
    "10.21.4.10/31",
    "10.21.4.12/30",
    "10.21.4.16/28",
    "10.21.4.32/28",
    "10.21.4.48/29",
    "10.21.4.56/30",
    "10.21.4.60/32",
  ]
  destination_address_prefixes = ["10.0.1.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector__tcp-5724-v4" {
  name                         = "tcp-5724-v4"
  description                  = "operations console to management server (TCP 5724) from admin-consoles [2024-11#8]"
  priority                     = 103
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["10.0.10.0/25"]
  destination_address_prefixes = ["10.0.1.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector__tcp-5724-v4-install" {
  name                         = "tcp-5724-v4-install"
  description                  = "management server to management server (TCP 5724) from ms02.contoso.com, ms03.contoso.com [2024-11#2] install only"
  priority                     = 104
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["10.0.1.12/31"]
  destination_address_prefixes = ["10.0.1.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server_acs-collector.name
}

# management-server-ms01.fabrikam.com: attach to ms01.fabrikam.com
resource "azurerm_network_security_group" "management-server-ms01_fabrikam_com" {
  name                = "scom-CONTOSO-management-server-ms01.fabrikam.com"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms01.fabrikam.com"
  }
}

resource "azurerm_network_security_rule" "management-server-ms01_fabrikam_com__tcp-5723-5724-v4" {
  name                    = "tcp-5723-5724-v4"
  description             = "management server to management server (TCP 5723-5724) from ms01.contoso.com, ms02.contoso.com, ms03.contoso.com [2024-11#15]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723-5724"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/31",
  ]
  destination_address_prefixes = ["10.80.0.5/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms01_fabrikam_com.name
}

resource "azurerm_network_security_rule" "management-server-ms01_fabrikam_com__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server-ms01_fabrikam_com.name
}

# management-server-ms02.contoso.com: attach to ms02.contoso.com
resource "azurerm_network_security_group" "management-server-ms02_contoso_com" {
  name                = "scom-CONTOSO-management-server-ms02.contoso.com"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms02.contoso.com"
  }
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__tcp-5723-5724-v4" {
  name                         = "tcp-5723-5724-v4"
  description                  = "management server to management server (TCP 5723-5724) from ms01.fabrikam.com [2024-11#15]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5723-5724"]
  source_address_prefixes      = ["10.80.0.5/32"]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent, gateway, management server to management server (TCP 5723) from corp-servers and 3 more [2024-11#2 2024-11#5 2024-11#16 2024-11#22]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.13/32",
    "10.20.0.0/16",
    "10.21.4.10/31",
    "10.21.4.12/30",
    "10.21.4.16/28",
    "10.21.4.32/28",
    "10.21.4.48/29",
    "10.21.4.56/30",
    "10.21.4.60/32",
    "192.168.50.5/32",
  ]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__tcp-5724-v4" {
  name                    = "tcp-5724-v4"
  description             = "operations console, web console server to management server (TCP 5724) from admin-consoles, web01.contoso.com [2024-11#8 2024-11#11]"
  priority                = 102
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5724"]
  source_address_prefixes = [
    "10.0.1.40/32",
    "10.0.10.0/25",
  ]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__tcp-5724-v4-install" {
  name                    = "tcp-5724-v4-install"
  description             = "management server to management server (TCP 5724) from ms01.contoso.com, ms03.contoso.com [2024-11#2] install only"
  priority                = 103
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5724"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.13/32",
  ]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__udp-162-v4" {
  name                    = "udp-162-v4"
  description             = "network device to management server (UDP 162) from core-switches [2024-11#4]"
  priority                = 104
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["162"]
  source_address_prefixes = [
    "10.0.254.1/32",
    "10.0.254.2/31",
    "10.0.254.4/32",
  ]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__icmp-echo-v4" {
  name                   = "icmp-echo-v4"
  description            = "network device to management server (ICMP echo) from core-switches [2024-11#4]"
  priority               = 105
  direction              = "Inbound"
  access                 = "Allow"
  protocol               = "Icmp"
  source_port_range      = "*"
  destination_port_range = "*"
  source_address_prefixes = [
    "10.0.254.1/32",
    "10.0.254.2/31",
    "10.0.254.4/32",
  ]
  destination_address_prefixes = ["10.0.1.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms02_contoso_com__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server-ms02_contoso_com.name
}

# management-server-ms03.contoso.com: attach to ms03.contoso.com
resource "azurerm_network_security_group" "management-server-ms03_contoso_com" {
  name                = "scom-CONTOSO-management-server-ms03.contoso.com"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms03.contoso.com"
  }
}

resource "azurerm_network_security_rule" "management-server-ms03_contoso_com__tcp-5723-5724-v4" {
  name                         = "tcp-5723-5724-v4"
  description                  = "management server to management server (TCP 5723-5724) from ms01.fabrikam.com [2024-11#15]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5723-5724"]
  source_address_prefixes      = ["10.80.0.5/32"]
  destination_address_prefixes = ["10.0.1.13/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms03_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms03_contoso_com__tcp-5723-v4" {
  name                    = "tcp-5723-v4"
  description             = "agent, gateway, management server to management server (TCP 5723) from 4 sources [2024-11#2 2024-11#5 2024-11#16 2024-11#22]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5723"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/32",
    "10.21.5.7/32",
    "192.168.50.5/32",
  ]
  destination_address_prefixes = ["10.0.1.13/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms03_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms03_contoso_com__tcp-5724-v4" {
  name                         = "tcp-5724-v4"
  description                  = "web console server to management server (TCP 5724) from web01.contoso.com [2024-11#11]"
  priority                     = 102
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["10.0.1.40/32"]
  destination_address_prefixes = ["10.0.1.13/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms03_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms03_contoso_com__tcp-5724-v4-install" {
  name                    = "tcp-5724-v4-install"
  description             = "management server to management server (TCP 5724) from ms01.contoso.com, ms02.contoso.com [2024-11#2] install only"
  priority                = 103
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5724"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/32",
  ]
  destination_address_prefixes = ["10.0.1.13/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server-ms03_contoso_com.name
}

resource "azurerm_network_security_rule" "management-server-ms03_contoso_com__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server-ms03_contoso_com.name
}

# reporting-server: attach to rpt01.contoso.com
resource "azurerm_network_security_group" "reporting-server" {
  name                = "scom-CONTOSO-reporting-server"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "rpt01.contoso.com"
  }
}

resource "azurerm_network_security_rule" "reporting-server__tcp-80-v4" {
  name                    = "tcp-80-v4"
  description             = "management server, operations console to reporting server (TCP 80) from admin-consoles, ms01.contoso.com and 2 more [2024-11#26 scomfw#1]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["80"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/31",
    "10.0.10.0/25",
  ]
  destination_address_prefixes = ["10.0.1.30/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.reporting-server.name
}

resource "azurerm_network_security_rule" "reporting-server__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.reporting-server.name
}

# operational-database+data-warehouse: attach to sql01.contoso.com
resource "azurerm_network_security_group" "operational-database_data-warehouse" {
  name                = "scom-CONTOSO-operational-database_data-warehouse"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "sql01.contoso.com"
  }
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-135_445_49152-65535-v4-install" {
  name              = "tcp-135_445_49152-65535-v4-install"
  description       = "management server to data warehouse, operational database (TCP 135, 445, 49152-65535) from 3 sources [2024-11#1 2024-11#6] install only"
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
    "10.0.1.11/32",
    "10.0.1.12/31",
  ]
  destination_address_prefixes = ["10.0.2.10/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__tcp-1433-v4" {
  name                    = "tcp-1433-v4"
  description             = "management server, reporting server to data warehouse, operational database (TCP 1433) [2024-11#1 2024-11#6 2024-11#27 scomfw#2]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["1433"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/31",
    "10.0.1.30/32",
  ]
  destination_address_prefixes = ["10.0.2.10/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse__udp-137-v4-install" {
  name                    = "udp-137-v4-install"
  description             = "management server to data warehouse, operational database (UDP 137) from ms01.contoso.com and 2 more [2024-11#1 2024-11#6] install only"
  priority                = 102
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["137"]
  source_address_prefixes = [
    "10.0.1.11/32",
    "10.0.1.12/31",
  ]
  destination_address_prefixes = ["10.0.2.10/32"]
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

# acs-database: attach to sqlacs.contoso.com
resource "azurerm_network_security_group" "acs-database" {
  name                = "scom-CONTOSO-acs-database"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "sqlacs.contoso.com"
  }
}

resource "azurerm_network_security_rule" "acs-database__tcp-1435-v4" {
  name                         = "tcp-1435-v4"
  description                  = "ACS collector to ACS database (TCP 1435) from ms01.contoso.com [2024-11#28]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["1435"]
  source_address_prefixes      = ["10.0.1.11/32"]
  destination_address_prefixes = ["10.0.2.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.acs-database.name
}

resource "azurerm_network_security_rule" "acs-database__udp-1434-v4" {
  name                         = "udp-1434-v4"
  description                  = "ACS collector to ACS database (UDP 1434) from ms01.contoso.com [2024-11#28]"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["1434"]
  source_address_prefixes      = ["10.0.1.11/32"]
  destination_address_prefixes = ["10.0.2.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.acs-database.name
}

resource "azurerm_network_security_rule" "acs-database__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.acs-database.name
}

# web-console-server: attach to web01.contoso.com
resource "azurerm_network_security_group" "web-console-server" {
  name                = "scom-CONTOSO-web-console-server"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "web01.contoso.com"
  }
}

resource "azurerm_network_security_rule" "web-console-server__tcp-443-v4" {
  name                    = "tcp-443-v4"
  description             = "web console browser to web console server (TCP 443) from admin-consoles, helpdesk-browsers [2024-11#12]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["443"]
  source_address_prefixes = [
    "10.0.10.0/25",
    "10.0.11.0/24",
  ]
  destination_address_prefixes = ["10.0.1.40/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.web-console-server.name
}

resource "azurerm_network_security_rule" "web-console-server__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.web-console-server.name
}
