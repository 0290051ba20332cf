# azure.tf: written by scomfw from the plan of management group CUSTOM (catalog 2024-11, phase install).
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

# agent+acs-forwarder+aem-client+ceip-client: attach to branch-agents
resource "azurerm_network_security_group" "agent_acs-forwarder_aem-client_ceip-client" {
  name                = "scom-CUSTOM-agent_acs-forwarder_aem-client_ceip-client"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "branch-agents"
  }
}

resource "azurerm_network_security_rule" "agent_acs-forwarder_aem-client_ceip-client__tcp-135_139_445_49152-65535-v4-install" {
  name              = "tcp-135_139_445_49152-65535-v4-install"
  description       = "gateway to agent (TCP 135, 139, 445, 49152-65535) from gw01 [2024-11#18] install only"
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
  source_address_prefixes      = ["172.17.0.5/32"]
  destination_address_prefixes = ["172.17.1.0/24"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.agent_acs-forwarder_aem-client_ceip-client.name
}

resource "azurerm_network_security_rule" "agent_acs-forwarder_aem-client_ceip-client__udp-137-138-v4-install" {
  name                         = "udp-137-138-v4-install"
  description                  = "gateway to agent (UDP 137-138) from gw01 [2024-11#18] install only"
  priority                     = 101
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["137-138"]
  source_address_prefixes      = ["172.17.0.5/32"]
  destination_address_prefixes = ["172.17.1.0/24"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.agent_acs-forwarder_aem-client_ceip-client.name
}

resource "azurerm_network_security_rule" "agent_acs-forwarder_aem-client_ceip-client__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.agent_acs-forwarder_aem-client_ceip-client.name
}

# domain-controller: attach to dc01
resource "azurerm_network_security_group" "domain-controller" {
  name                = "scom-CUSTOM-domain-controller"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "dc01"
  }
}

resource "azurerm_network_security_rule" "domain-controller__tcp-53_88_389-v4" {
  name              = "tcp-53_88_389-v4"
  description       = "management server to domain controller (TCP 53, 88, 389) from ms01, ms02 [2024-11#3]"
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
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.16.0.5/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.domain-controller.name
}

resource "azurerm_network_security_rule" "domain-controller__udp-53_88_389-v4" {
  name              = "udp-53_88_389-v4"
  description       = "management server to domain controller (UDP 53, 88, 389) from ms01, ms02 [2024-11#3]"
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
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.16.0.5/32"]
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

# network-device: attach to devices
resource "azurerm_network_security_group" "network-device" {
  name                = "scom-CUSTOM-network-device"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "devices"
  }
}

resource "azurerm_network_security_rule" "network-device__udp-161-v4" {
  name                    = "udp-161-v4"
  description             = "management server to network device (UDP 161) from ms01, ms02 [2024-11#4]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["161"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.18.0.0/28"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.network-device.name
}

resource "azurerm_network_security_rule" "network-device__icmp-echo-v4" {
  name                   = "icmp-echo-v4"
  description            = "management server to network device (ICMP echo) from ms01, ms02 [2024-11#4]"
  priority               = 101
  direction              = "Inbound"
  access                 = "Allow"
  protocol               = "Icmp"
  source_port_range      = "*"
  destination_port_range = "*"
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.18.0.0/28"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.network-device.name
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

# gateway: attach to gw01
resource "azurerm_network_security_group" "gateway" {
  name                = "scom-CUSTOM-gateway"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "gw01"
  }
}

resource "azurerm_network_security_rule" "gateway__tcp-15724-v4" {
  name                         = "tcp-15724-v4"
  description                  = "agent to gateway (TCP 15724) from branch-agents [2024-11#17]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["15724"]
  source_address_prefixes      = ["172.17.1.0/24"]
  destination_address_prefixes = ["172.17.0.5/32"]
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

# unix-agent: attach to linux
resource "azurerm_network_security_group" "unix-agent" {
  name                = "scom-CUSTOM-unix-agent"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "linux"
  }
}

resource "azurerm_network_security_rule" "unix-agent__tcp-1270_2222-v4" {
  name              = "tcp-1270_2222-v4"
  description       = "management server to UNIX/Linux agent (TCP 1270, 2222) from ms01 [2024-11#19 2024-11#20]"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "1270",
    "2222",
  ]
  source_address_prefixes      = ["172.16.0.11/32"]
  destination_address_prefixes = ["172.16.5.0/28"]
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

# management-pack-catalog: attach to mpcatalog-proxy
resource "azurerm_network_security_group" "management-pack-catalog" {
  name                = "scom-CUSTOM-management-pack-catalog"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "mpcatalog-proxy"
  }
}

resource "azurerm_network_security_rule" "management-pack-catalog__tcp-80_443-v4" {
  name              = "tcp-80_443-v4"
  description       = "operations console to Management Pack Catalog (TCP 80, 443) from consoles [2024-11#9]"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "80",
    "443",
  ]
  source_address_prefixes      = ["172.16.9.0/26"]
  destination_address_prefixes = ["172.16.99.1/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-pack-catalog.name
}

resource "azurerm_network_security_rule" "management-pack-catalog__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-pack-catalog.name
}

# management-server+acs-collector+aem-file-share+ceip-endpoint: attach to ms01
resource "azurerm_network_security_group" "management-server_acs-collector_aem-file-share_ceip-endpoint" {
  name                = "scom-CUSTOM-management-server_acs-collector_aem-file-share_ceip-endpoint"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms01"
  }
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-445_15906-15907_15909-v4" {
  name              = "tcp-445_15906-15907_15909-v4"
  description       = "ACS forwarder, AEM client, CEIP client to ACS collector, AEM file share, CEIP endpoint (TCP 445, 15906-15907, 15909) [2024-11#23 20-90c5e51a"
  priority          = 100
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "445",
    "15906-15907",
    "15909",
  ]
  source_address_prefixes      = ["172.17.1.0/24"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-5724-v4" {
  name                    = "tcp-5724-v4"
  description             = "operations console, web console server to management server (TCP 5724) from consoles, web [2024-11#8 2024-11#11]"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5724"]
  source_address_prefixes = [
    "172.16.0.40/32",
    "172.16.9.0/26",
  ]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-5724_15723-v4" {
  name              = "tcp-5724_15723-v4"
  description       = "reporting server to management server (TCP 5724, 15723) from reports [2024-11#7]"
  priority          = 102
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "5724",
    "15723",
  ]
  source_address_prefixes      = ["172.16.0.30/32"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-5724-v4-install" {
  name                         = "tcp-5724-v4-install"
  description                  = "management server to management server (TCP 5724) from ms02 [2024-11#2] install only"
  priority                     = 103
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["172.16.0.12/32"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-8886-v4" {
  name                         = "tcp-8886-v4"
  description                  = "UNIX/Linux agent to management server (TCP 8886) from linux [2024-11#21]"
  priority                     = 104
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["8886"]
  source_address_prefixes      = ["172.16.5.0/28"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp-15723-v4" {
  name                    = "tcp-15723-v4"
  description             = "gateway, management server to management server (TCP 15723) from gw01, ms02 [2024-11#2 2024-11#5 2024-11#22]"
  priority                = 105
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["15723"]
  source_address_prefixes = [
    "172.16.0.12/32",
    "172.17.0.5/32",
  ]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__udp-162-v4" {
  name                         = "udp-162-v4"
  description                  = "network device to management server (UDP 162) from devices [2024-11#4]"
  priority                     = 106
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["162"]
  source_address_prefixes      = ["172.18.0.0/28"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__icmp-echo-v4" {
  name                         = "icmp-echo-v4"
  description                  = "network device to management server (ICMP echo) from devices [2024-11#4]"
  priority                     = 107
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Icmp"
  source_port_range            = "*"
  destination_port_range       = "*"
  source_address_prefixes      = ["172.18.0.0/28"]
  destination_address_prefixes = ["172.16.0.11/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

resource "azurerm_network_security_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.name
}

# management-server: attach to ms02
resource "azurerm_network_security_group" "management-server" {
  name                = "scom-CUSTOM-management-server"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "ms02"
  }
}

resource "azurerm_network_security_rule" "management-server__tcp-5724-v4" {
  name                    = "tcp-5724-v4"
  description             = "operations console, web console server to management server (TCP 5724) from consoles, web [2024-11#8 2024-11#11]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["5724"]
  source_address_prefixes = [
    "172.16.0.40/32",
    "172.16.9.0/26",
  ]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__tcp-5724_15723-v4" {
  name              = "tcp-5724_15723-v4"
  description       = "reporting server to management server (TCP 5724, 15723) from reports [2024-11#7]"
  priority          = 101
  direction         = "Inbound"
  access            = "Allow"
  protocol          = "Tcp"
  source_port_range = "*"
  destination_port_ranges = [
    "5724",
    "15723",
  ]
  source_address_prefixes      = ["172.16.0.30/32"]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__tcp-5724-v4-install" {
  name                         = "tcp-5724-v4-install"
  description                  = "management server to management server (TCP 5724) from ms01 [2024-11#2] install only"
  priority                     = 102
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["5724"]
  source_address_prefixes      = ["172.16.0.11/32"]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__tcp-15723-v4" {
  name                    = "tcp-15723-v4"
  description             = "gateway, management server to management server (TCP 15723) from gw01, ms01 [2024-11#2 2024-11#5 2024-11#22]"
  priority                = 103
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["15723"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.17.0.5/32",
  ]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__udp-162-v4" {
  name                         = "udp-162-v4"
  description                  = "network device to management server (UDP 162) from devices [2024-11#4]"
  priority                     = 104
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Udp"
  source_port_range            = "*"
  destination_port_ranges      = ["162"]
  source_address_prefixes      = ["172.18.0.0/28"]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__icmp-echo-v4" {
  name                         = "icmp-echo-v4"
  description                  = "network device to management server (ICMP echo) from devices [2024-11#4]"
  priority                     = 105
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Icmp"
  source_port_range            = "*"
  destination_port_range       = "*"
  source_address_prefixes      = ["172.18.0.0/28"]
  destination_address_prefixes = ["172.16.0.12/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.management-server.name
}

resource "azurerm_network_security_rule" "management-server__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.management-server.name
}

# reporting-server: attach to reports
resource "azurerm_network_security_group" "reporting-server" {
  name                = "scom-CUSTOM-reporting-server"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "reports"
  }
}

resource "azurerm_network_security_rule" "reporting-server__tcp-8080-v4" {
  name                    = "tcp-8080-v4"
  description             = "management server, operations console to reporting server (TCP 8080) from consoles, ms01, ms02 [2024-11#26 scomfw#1]"
  priority                = 100
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["8080"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
    "172.16.9.0/26",
  ]
  destination_address_prefixes = ["172.16.0.30/32"]
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

# operational-database+data-warehouse+acs-database: attach to sql01
resource "azurerm_network_security_group" "operational-database_data-warehouse_acs-database" {
  name                = "scom-CUSTOM-operational-database_data-warehouse_acs-database"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "sql01"
  }
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse_acs-database__tcp-135_445_49152-65535-v4-install" {
  name              = "tcp-135_445_49152-65535-v4-install"
  description       = "management server to data warehouse, operational database (TCP 135, 445, 49152-65535) from ms01, ms02 [2024-11#1 2024-11#6] install only"
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
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.16.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse_acs-database.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse_acs-database__tcp-50123-v4" {
  name                    = "tcp-50123-v4"
  description             = "ACS collector, management server, reporting server, web console server to ACS database, data warehouse, operational database (TCP 5-58535cea"
  priority                = 101
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Tcp"
  source_port_range       = "*"
  destination_port_ranges = ["50123"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
    "172.16.0.30/32",
    "172.16.0.40/32",
  ]
  destination_address_prefixes = ["172.16.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse_acs-database.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse_acs-database__udp-137-v4-install" {
  name                    = "udp-137-v4-install"
  description             = "management server to data warehouse, operational database (UDP 137) from ms01, ms02 [2024-11#1 2024-11#6] install only"
  priority                = 102
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["137"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
  ]
  destination_address_prefixes = ["172.16.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse_acs-database.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse_acs-database__udp-1434-v4" {
  name                    = "udp-1434-v4"
  description             = "ACS collector, management server, reporting server, web console server to ACS database, data warehouse, operational database (UDP 1-0c14c2e5"
  priority                = 103
  direction               = "Inbound"
  access                  = "Allow"
  protocol                = "Udp"
  source_port_range       = "*"
  destination_port_ranges = ["1434"]
  source_address_prefixes = [
    "172.16.0.11/32",
    "172.16.0.12/32",
    "172.16.0.30/32",
    "172.16.0.40/32",
  ]
  destination_address_prefixes = ["172.16.0.20/32"]
  resource_group_name          = var.resource_group_name
  network_security_group_name  = azurerm_network_security_group.operational-database_data-warehouse_acs-database.name
}

resource "azurerm_network_security_rule" "operational-database_data-warehouse_acs-database__deny-other-vnet-inbound" {
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
  network_security_group_name = azurerm_network_security_group.operational-database_data-warehouse_acs-database.name
}

# web-console-server: attach to web
resource "azurerm_network_security_group" "web-console-server" {
  name                = "scom-CUSTOM-web-console-server"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags = {
    scomfw-attach-to = "web"
  }
}

resource "azurerm_network_security_rule" "web-console-server__tcp-8443-v4" {
  name                         = "tcp-8443-v4"
  description                  = "web console browser to web console server (TCP 8443) from consoles [2024-11#12]"
  priority                     = 100
  direction                    = "Inbound"
  access                       = "Allow"
  protocol                     = "Tcp"
  source_port_range            = "*"
  destination_port_ranges      = ["8443"]
  source_address_prefixes      = ["172.16.9.0/26"]
  destination_address_prefixes = ["172.16.0.40/32"]
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
