# aws.tf: written by scomfw from the plan of management group CUSTOM (catalog 2024-11, phase install).
# Do not edit it by hand: change the deployment file and render again, then terraform plan and apply.
#
# One security group per set of hosts that play the same roles and accept the same flows: attach it to
# those hosts' instances (the tag scomfw:attach-to names them). Each rule is one source CIDR and one port
# range, as AWS counts rules; sources are merged into the fewest exact CIDRs and ports into ranges only
# where that opens nothing extra.
# AWS allows 60 inbound rules per group, counted separately for IPv4 and IPv6. A set that needs
# more is split into parts (-2, -3, ...); put every part on the same instances, together they allow exactly
# the planned flows.
# The groups hold no egress rules (Terraform removes the default allow-all egress of groups it creates):
# the hosts' outbound traffic is left to their other security groups.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "vpc_id" {
  type        = string
  description = "The VPC the security groups are created in."
}

# agent+acs-forwarder+aem-client+ceip-client: attach to branch-agents
resource "aws_security_group" "agent_acs-forwarder_aem-client_ceip-client" {
  name        = "scom-CUSTOM-agent+acs-forwarder+aem-client+ceip-client"
  description = "SCOM CUSTOM inbound: agent, ACS forwarder, AEM client, CEIP client"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-agent+acs-forwarder+aem-client+ceip-client"
    "scomfw:attach-to" = "branch-agents"
  }
}

resource "aws_vpc_security_group_ingress_rule" "agent_acs-forwarder_aem-client_ceip-client__tcp_135__172_17_0_5_32" {
  security_group_id = aws_security_group.agent_acs-forwarder_aem-client_ceip-client.id
  description       = "gateway to agent (TCP 135) from gw01 [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent_acs-forwarder_aem-client_ceip-client__tcp_139__172_17_0_5_32" {
  security_group_id = aws_security_group.agent_acs-forwarder_aem-client_ceip-client.id
  description       = "gateway to agent (TCP 139) from gw01 [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 139
  to_port           = 139
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent_acs-forwarder_aem-client_ceip-client__tcp_445__172_17_0_5_32" {
  security_group_id = aws_security_group.agent_acs-forwarder_aem-client_ceip-client.id
  description       = "gateway to agent (TCP 445) from gw01 [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent_acs-forwarder_aem-client_ceip-client__tcp_49152_65535__172_17_0_5_32" {
  security_group_id = aws_security_group.agent_acs-forwarder_aem-client_ceip-client.id
  description       = "gateway to agent (TCP 49152-65535) from gw01 [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent_acs-forwarder_aem-client_ceip-client__udp_137_138__172_17_0_5_32" {
  security_group_id = aws_security_group.agent_acs-forwarder_aem-client_ceip-client.id
  description       = "gateway to agent (UDP 137-138) from gw01 [2024-11#18] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 138
  cidr_ipv4         = "172.17.0.5/32"
}

# domain-controller: attach to dc01
resource "aws_security_group" "domain-controller" {
  name        = "scom-CUSTOM-domain-controller"
  description = "SCOM CUSTOM inbound: domain controller"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-domain-controller"
    "scomfw:attach-to" = "dc01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms01 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms02 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms01 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms02 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms01 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms02 [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms01 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms02 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms01 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms02 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__172_16_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms01 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__172_16_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms02 [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "172.16.0.12/32"
}

# network-device: attach to devices
resource "aws_security_group" "network-device" {
  name        = "scom-CUSTOM-network-device"
  description = "SCOM CUSTOM inbound: network device"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-network-device"
    "scomfw:attach-to" = "devices"
  }
}

resource "aws_vpc_security_group_ingress_rule" "network-device__udp_161__172_16_0_11_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (UDP 161) from ms01 [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 161
  to_port           = 161
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "network-device__udp_161__172_16_0_12_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (UDP 161) from ms02 [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 161
  to_port           = 161
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "network-device__icmp_echo__172_16_0_11_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (ICMP echo) from ms01 [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "network-device__icmp_echo__172_16_0_12_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (ICMP echo) from ms02 [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "172.16.0.12/32"
}

# gateway: attach to gw01
resource "aws_security_group" "gateway" {
  name        = "scom-CUSTOM-gateway"
  description = "SCOM CUSTOM inbound: gateway"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-gateway"
    "scomfw:attach-to" = "gw01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_15724__172_17_1_0_24" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 15724) from branch-agents [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 15724
  to_port           = 15724
  cidr_ipv4         = "172.17.1.0/24"
}

# unix-agent: attach to linux
resource "aws_security_group" "unix-agent" {
  name        = "scom-CUSTOM-unix-agent"
  description = "SCOM CUSTOM inbound: UNIX/Linux agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-unix-agent"
    "scomfw:attach-to" = "linux"
  }
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_1270__172_16_0_11_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 1270) from ms01 [2024-11#19]"
  ip_protocol       = "tcp"
  from_port         = 1270
  to_port           = 1270
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_2222__172_16_0_11_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 2222) from ms01 [2024-11#20]"
  ip_protocol       = "tcp"
  from_port         = 2222
  to_port           = 2222
  cidr_ipv4         = "172.16.0.11/32"
}

# management-pack-catalog: attach to mpcatalog-proxy
resource "aws_security_group" "management-pack-catalog" {
  name        = "scom-CUSTOM-management-pack-catalog"
  description = "SCOM CUSTOM inbound: Management Pack Catalog"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-management-pack-catalog"
    "scomfw:attach-to" = "mpcatalog-proxy"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-pack-catalog__tcp_80__172_16_9_0_26" {
  security_group_id = aws_security_group.management-pack-catalog.id
  description       = "operations console to Management Pack Catalog (TCP 80) from consoles [2024-11#9]"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "172.16.9.0/26"
}

resource "aws_vpc_security_group_ingress_rule" "management-pack-catalog__tcp_443__172_16_9_0_26" {
  security_group_id = aws_security_group.management-pack-catalog.id
  description       = "operations console to Management Pack Catalog (TCP 443) from consoles [2024-11#9]"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "172.16.9.0/26"
}

# management-server+acs-collector+aem-file-share+ceip-endpoint: attach to ms01
resource "aws_security_group" "management-server_acs-collector_aem-file-share_ceip-endpoint" {
  name        = "scom-CUSTOM-management-server+acs-collector+aem-file-share+ceip-endpoint"
  description = "SCOM CUSTOM inbound: management server, ACS collector, AEM file share, CEIP endpoint"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-management-server+acs-collector+aem-file-share+ceip-endpoint"
    "scomfw:attach-to" = "ms01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_445__172_17_1_0_24" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "AEM client to AEM file share (TCP 445) from branch-agents [scomfw#5]"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "172.17.1.0/24"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_5724__172_16_0_12_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "management server to management server (TCP 5724) from ms02 [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_5724__172_16_0_30_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "reporting server to management server (TCP 5724) from reports [2024-11#7]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_5724__172_16_0_40_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "web console server to management server (TCP 5724) from web [2024-11#11]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.40/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_5724__172_16_9_0_26" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "operations console to management server (TCP 5724) from consoles [2024-11#8]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.9.0/26"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_8886__172_16_5_0_28" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "UNIX/Linux agent to management server (TCP 8886) from linux [2024-11#21]"
  ip_protocol       = "tcp"
  from_port         = 8886
  to_port           = 8886
  cidr_ipv4         = "172.16.5.0/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_15723__172_16_0_12_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "management server to management server (TCP 15723) from ms02 [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_15723__172_16_0_30_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "reporting server to management server (TCP 15723) from reports [2024-11#7]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_15723__172_17_0_5_32" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "gateway to management server (TCP 15723) from gw01 [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_15906_15907__172_17_1_0_24" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "AEM client, CEIP client to AEM file share, CEIP endpoint (TCP 15906-15907) from branch-agents [2024-11#24 2024-11#25]"
  ip_protocol       = "tcp"
  from_port         = 15906
  to_port           = 15907
  cidr_ipv4         = "172.17.1.0/24"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__tcp_15909__172_17_1_0_24" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "ACS forwarder to ACS collector (TCP 15909) from branch-agents [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 15909
  to_port           = 15909
  cidr_ipv4         = "172.17.1.0/24"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__udp_162__172_18_0_0_28" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "network device to management server (UDP 162) from devices [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 162
  to_port           = 162
  cidr_ipv4         = "172.18.0.0/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector_aem-file-share_ceip-endpoint__icmp_echo__172_18_0_0_28" {
  security_group_id = aws_security_group.management-server_acs-collector_aem-file-share_ceip-endpoint.id
  description       = "network device to management server (ICMP echo) from devices [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "172.18.0.0/28"
}

# management-server: attach to ms02
resource "aws_security_group" "management-server" {
  name        = "scom-CUSTOM-management-server"
  description = "SCOM CUSTOM inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-management-server"
    "scomfw:attach-to" = "ms02"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_5724__172_16_0_11_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "management server to management server (TCP 5724) from ms01 [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_5724__172_16_0_30_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "reporting server to management server (TCP 5724) from reports [2024-11#7]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_5724__172_16_0_40_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "web console server to management server (TCP 5724) from web [2024-11#11]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.0.40/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_5724__172_16_9_0_26" {
  security_group_id = aws_security_group.management-server.id
  description       = "operations console to management server (TCP 5724) from consoles [2024-11#8]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "172.16.9.0/26"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_15723__172_16_0_11_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "management server to management server (TCP 15723) from ms01 [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_15723__172_16_0_30_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "reporting server to management server (TCP 15723) from reports [2024-11#7]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__tcp_15723__172_17_0_5_32" {
  security_group_id = aws_security_group.management-server.id
  description       = "gateway to management server (TCP 15723) from gw01 [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 15723
  to_port           = 15723
  cidr_ipv4         = "172.17.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__udp_162__172_18_0_0_28" {
  security_group_id = aws_security_group.management-server.id
  description       = "network device to management server (UDP 162) from devices [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 162
  to_port           = 162
  cidr_ipv4         = "172.18.0.0/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server__icmp_echo__172_18_0_0_28" {
  security_group_id = aws_security_group.management-server.id
  description       = "network device to management server (ICMP echo) from devices [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "172.18.0.0/28"
}

# reporting-server: attach to reports
resource "aws_security_group" "reporting-server" {
  name        = "scom-CUSTOM-reporting-server"
  description = "SCOM CUSTOM inbound: reporting server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-reporting-server"
    "scomfw:attach-to" = "reports"
  }
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_8080__172_16_0_11_32" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "management server to reporting server (TCP 8080) from ms01 [scomfw#1]"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_8080__172_16_0_12_32" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "management server to reporting server (TCP 8080) from ms02 [scomfw#1]"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_8080__172_16_9_0_26" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "operations console to reporting server (TCP 8080) from consoles [2024-11#26]"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = "172.16.9.0/26"
}

# operational-database+data-warehouse+acs-database: attach to sql01
resource "aws_security_group" "operational-database_data-warehouse_acs-database" {
  name        = "scom-CUSTOM-operational-database+data-warehouse+acs-database"
  description = "SCOM CUSTOM inbound: operational database, data warehouse, ACS database"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-operational-database+data-warehouse+acs-database"
    "scomfw:attach-to" = "sql01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_135__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_135__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms02 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_445__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_445__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms02 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_49152_65535__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_49152_65535__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms02 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_50123__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "ACS collector, management server to ACS database, data warehouse, operational database (TCP 50123) from ms01 [2024-11#1 2024-11#6 2024-11#28]"
  ip_protocol       = "tcp"
  from_port         = 50123
  to_port           = 50123
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_50123__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (TCP 50123) from ms02 [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 50123
  to_port           = 50123
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_50123__172_16_0_30_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "reporting server to data warehouse, operational database (TCP 50123) from reports [2024-11#27 scomfw#2]"
  ip_protocol       = "tcp"
  from_port         = 50123
  to_port           = 50123
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__tcp_50123__172_16_0_40_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "web console server to data warehouse, operational database (TCP 50123) from web [2024-11#13 2024-11#14]"
  ip_protocol       = "tcp"
  from_port         = 50123
  to_port           = 50123
  cidr_ipv4         = "172.16.0.40/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_137__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_137__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms02 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_1434__172_16_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "ACS collector, management server to ACS database, data warehouse, operational database (UDP 1434) from ms01 [2024-11#1 2024-11#6 2024-11#28]"
  ip_protocol       = "udp"
  from_port         = 1434
  to_port           = 1434
  cidr_ipv4         = "172.16.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_1434__172_16_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "management server to data warehouse, operational database (UDP 1434) from ms02 [2024-11#1 2024-11#6]"
  ip_protocol       = "udp"
  from_port         = 1434
  to_port           = 1434
  cidr_ipv4         = "172.16.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_1434__172_16_0_30_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "reporting server to data warehouse, operational database (UDP 1434) from reports [2024-11#27 scomfw#2]"
  ip_protocol       = "udp"
  from_port         = 1434
  to_port           = 1434
  cidr_ipv4         = "172.16.0.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse_acs-database__udp_1434__172_16_0_40_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse_acs-database.id
  description       = "web console server to data warehouse, operational database (UDP 1434) from web [2024-11#13 2024-11#14]"
  ip_protocol       = "udp"
  from_port         = 1434
  to_port           = 1434
  cidr_ipv4         = "172.16.0.40/32"
}

# web-console-server: attach to web
resource "aws_security_group" "web-console-server" {
  name        = "scom-CUSTOM-web-console-server"
  description = "SCOM CUSTOM inbound: web console server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CUSTOM-web-console-server"
    "scomfw:attach-to" = "web"
  }
}

resource "aws_vpc_security_group_ingress_rule" "web-console-server__tcp_8443__172_16_9_0_26" {
  security_group_id = aws_security_group.web-console-server.id
  description       = "web console browser to web console server (TCP 8443) from consoles [2024-11#12]"
  ip_protocol       = "tcp"
  from_port         = 8443
  to_port           = 8443
  cidr_ipv4         = "172.16.9.0/26"
}
