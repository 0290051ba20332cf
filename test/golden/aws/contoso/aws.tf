# aws.tf: written by scomfw from the plan of management group CONTOSO (catalog 2024-11, phase install).
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

# network-device: attach to core-switches
resource "aws_security_group" "network-device" {
  name        = "scom-CONTOSO-network-device"
  description = "SCOM CONTOSO inbound: network device"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-network-device"
    "scomfw:attach-to" = "core-switches"
  }
}

resource "aws_vpc_security_group_ingress_rule" "network-device__udp_161__10_0_1_12_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (UDP 161) from ms02.contoso.com [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 161
  to_port           = 161
  cidr_ipv4         = "10.0.1.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "network-device__icmp_echo__10_0_1_12_32" {
  security_group_id = aws_security_group.network-device.id
  description       = "management server to network device (ICMP echo) from ms02.contoso.com [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "10.0.1.12/32"
}

# domain-controller: attach to dc01.contoso.com, dc02.contoso.com
resource "aws_security_group" "domain-controller" {
  name        = "scom-CONTOSO-domain-controller"
  description = "SCOM CONTOSO inbound: domain controller"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-domain-controller"
    "scomfw:attach-to" = "dc01.contoso.com dc02.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__10_0_1_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms01.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__10_0_1_12_31" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms02.contoso.com, ms03.contoso.com [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.0.1.12/31"
}

# agent-dmz-web-servers: attach to dmz-web-servers
resource "aws_security_group" "agent-dmz-web-servers" {
  name        = "scom-CONTOSO-agent-dmz-web-servers"
  description = "SCOM CONTOSO inbound: agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-agent-dmz-web-servers"
    "scomfw:attach-to" = "dmz-web-servers"
  }
}

resource "aws_vpc_security_group_ingress_rule" "agent-dmz-web-servers__tcp_135__192_168_50_5_32" {
  security_group_id = aws_security_group.agent-dmz-web-servers.id
  description       = "gateway to agent (TCP 135) from gw01.dmz.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-dmz-web-servers__tcp_139__192_168_50_5_32" {
  security_group_id = aws_security_group.agent-dmz-web-servers.id
  description       = "gateway to agent (TCP 139) from gw01.dmz.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 139
  to_port           = 139
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-dmz-web-servers__tcp_445__192_168_50_5_32" {
  security_group_id = aws_security_group.agent-dmz-web-servers.id
  description       = "gateway to agent (TCP 445) from gw01.dmz.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-dmz-web-servers__tcp_49152_65535__192_168_50_5_32" {
  security_group_id = aws_security_group.agent-dmz-web-servers.id
  description       = "gateway to agent (TCP 49152-65535) from gw01.dmz.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-dmz-web-servers__udp_137_138__192_168_50_5_32" {
  security_group_id = aws_security_group.agent-dmz-web-servers.id
  description       = "gateway to agent (UDP 137-138) from gw01.dmz.contoso.com [2024-11#18] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 138
  cidr_ipv4         = "192.168.50.5/32"
}

# agent-file01.contoso.com: attach to file01.contoso.com
resource "aws_security_group" "agent-file01_contoso_com" {
  name        = "scom-CONTOSO-agent-file01.contoso.com"
  description = "SCOM CONTOSO inbound: agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-agent-file01.contoso.com"
    "scomfw:attach-to" = "file01.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "agent-file01_contoso_com__tcp_135__10_0_1_11_32" {
  security_group_id = aws_security_group.agent-file01_contoso_com.id
  description       = "management server to agent (TCP 135) from ms01.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-file01_contoso_com__tcp_139__10_0_1_11_32" {
  security_group_id = aws_security_group.agent-file01_contoso_com.id
  description       = "management server to agent (TCP 139) from ms01.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 139
  to_port           = 139
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-file01_contoso_com__tcp_445__10_0_1_11_32" {
  security_group_id = aws_security_group.agent-file01_contoso_com.id
  description       = "management server to agent (TCP 445) from ms01.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-file01_contoso_com__tcp_49152_65535__10_0_1_11_32" {
  security_group_id = aws_security_group.agent-file01_contoso_com.id
  description       = "management server to agent (TCP 49152-65535) from ms01.contoso.com [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent-file01_contoso_com__udp_137_138__10_0_1_11_32" {
  security_group_id = aws_security_group.agent-file01_contoso_com.id
  description       = "management server to agent (UDP 137-138) from ms01.contoso.com [2024-11#18] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 138
  cidr_ipv4         = "10.0.1.11/32"
}

# gateway: attach to gw01.dmz.contoso.com
resource "aws_security_group" "gateway" {
  name        = "scom-CONTOSO-gateway"
  description = "SCOM CONTOSO inbound: gateway"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-gateway"
    "scomfw:attach-to" = "gw01.dmz.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__192_168_50_16_28" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from dmz-web-servers [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "192.168.50.16/28"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__192_168_50_40_30" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from dmz-web-servers [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "192.168.50.40/30"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__192_168_50_44_31" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from dmz-web-servers [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "192.168.50.44/31"
}

# unix-agent: attach to linux-app-servers
resource "aws_security_group" "unix-agent" {
  name        = "scom-CONTOSO-unix-agent"
  description = "SCOM CONTOSO inbound: UNIX/Linux agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-unix-agent"
    "scomfw:attach-to" = "linux-app-servers"
  }
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_22__10_0_1_13_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 22) from ms03.contoso.com [2024-11#20]"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "10.0.1.13/32"
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_1270__10_0_1_13_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 1270) from ms03.contoso.com [2024-11#19]"
  ip_protocol       = "tcp"
  from_port         = 1270
  to_port           = 1270
  cidr_ipv4         = "10.0.1.13/32"
}

# management-server+acs-collector: attach to ms01.contoso.com
resource "aws_security_group" "management-server_acs-collector" {
  name        = "scom-CONTOSO-management-server+acs-collector"
  description = "SCOM CONTOSO inbound: management server, ACS collector"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-management-server+acs-collector"
    "scomfw:attach-to" = "ms01.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_0_1_12_31" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "management server to management server (TCP 5723) from ms02.contoso.com, ms03.contoso.com [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_20_0_0_16" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.0.0/16"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_10_31" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.10/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_12_30" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.12/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_16_28" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.16/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_32_28" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.32/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_48_29" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.48/29"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_56_30" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.56/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_4_60_32" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.60/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723__10_21_5_7_32" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "agent to management server (TCP 5723) from file01.contoso.com [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.5.7/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723_5724__10_0_1_30_32" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "reporting server to management server (TCP 5723-5724) from rpt01.contoso.com [2024-11#7]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.0.1.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5723_5724__10_80_0_5_32" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "management server to management server (TCP 5723-5724) from ms01.fabrikam.com [2024-11#15]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.80.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5724__10_0_1_12_31" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "management server to management server (TCP 5724) from ms02.contoso.com, ms03.contoso.com [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_5724__10_0_10_0_25" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "operations console to management server (TCP 5724) from admin-consoles [2024-11#8]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.10.0/25"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_20_0_0_16" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.20.0.0/16"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_10_31" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.10/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_12_30" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.12/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_16_28" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.16/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_32_28" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.32/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_48_29" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.48/29"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_56_30" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.56/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server_acs-collector__tcp_51909__10_21_4_60_32" {
  security_group_id = aws_security_group.management-server_acs-collector.id
  description       = "ACS forwarder to ACS collector (TCP 51909) from corp-servers [2024-11#23]"
  ip_protocol       = "tcp"
  from_port         = 51909
  to_port           = 51909
  cidr_ipv4         = "10.21.4.60/32"
}

# management-server-ms01.fabrikam.com: attach to ms01.fabrikam.com
resource "aws_security_group" "management-server-ms01_fabrikam_com" {
  name        = "scom-CONTOSO-management-server-ms01.fabrikam.com"
  description = "SCOM CONTOSO inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-management-server-ms01.fabrikam.com"
    "scomfw:attach-to" = "ms01.fabrikam.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_fabrikam_com__tcp_5723_5724__10_0_1_11_32" {
  security_group_id = aws_security_group.management-server-ms01_fabrikam_com.id
  description       = "management server to management server (TCP 5723-5724) from ms01.contoso.com [2024-11#15]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_fabrikam_com__tcp_5723_5724__10_0_1_12_31" {
  security_group_id = aws_security_group.management-server-ms01_fabrikam_com.id
  description       = "management server to management server (TCP 5723-5724) from ms02.contoso.com, ms03.contoso.com [2024-11#15]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.0.1.12/31"
}

# management-server-ms02.contoso.com: attach to ms02.contoso.com
resource "aws_security_group" "management-server-ms02_contoso_com" {
  name        = "scom-CONTOSO-management-server-ms02.contoso.com"
  description = "SCOM CONTOSO inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-management-server-ms02.contoso.com"
    "scomfw:attach-to" = "ms02.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_0_1_11_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "management server to management server (TCP 5723) from ms01.contoso.com [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_0_1_13_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "management server to management server (TCP 5723) from ms03.contoso.com [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.0.1.13/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_20_0_0_16" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.0.0/16"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_10_31" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.10/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_12_30" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.12/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_16_28" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.16/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_32_28" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.32/28"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_48_29" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.48/29"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_56_30" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.56/30"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__10_21_4_60_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "agent to management server (TCP 5723) from corp-servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.4.60/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723__192_168_50_5_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "gateway to management server (TCP 5723) from gw01.dmz.contoso.com [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5723_5724__10_80_0_5_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "management server to management server (TCP 5723-5724) from ms01.fabrikam.com [2024-11#15]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.80.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5724__10_0_1_11_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "management server to management server (TCP 5724) from ms01.contoso.com [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5724__10_0_1_13_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "management server to management server (TCP 5724) from ms03.contoso.com [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.13/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5724__10_0_1_40_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "web console server to management server (TCP 5724) from web01.contoso.com [2024-11#11]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.40/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__tcp_5724__10_0_10_0_25" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "operations console to management server (TCP 5724) from admin-consoles [2024-11#8]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.10.0/25"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__udp_162__10_0_254_1_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (UDP 162) from core-switches [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 162
  to_port           = 162
  cidr_ipv4         = "10.0.254.1/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__udp_162__10_0_254_2_31" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (UDP 162) from core-switches [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 162
  to_port           = 162
  cidr_ipv4         = "10.0.254.2/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__udp_162__10_0_254_4_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (UDP 162) from core-switches [2024-11#4]"
  ip_protocol       = "udp"
  from_port         = 162
  to_port           = 162
  cidr_ipv4         = "10.0.254.4/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__icmp_echo__10_0_254_1_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (ICMP echo) from core-switches [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "10.0.254.1/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__icmp_echo__10_0_254_2_31" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (ICMP echo) from core-switches [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "10.0.254.2/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_contoso_com__icmp_echo__10_0_254_4_32" {
  security_group_id = aws_security_group.management-server-ms02_contoso_com.id
  description       = "network device to management server (ICMP echo) from core-switches [2024-11#4]"
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "10.0.254.4/32"
}

# management-server-ms03.contoso.com: attach to ms03.contoso.com
resource "aws_security_group" "management-server-ms03_contoso_com" {
  name        = "scom-CONTOSO-management-server-ms03.contoso.com"
  description = "SCOM CONTOSO inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-management-server-ms03.contoso.com"
    "scomfw:attach-to" = "ms03.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5723__10_0_1_11_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "management server to management server (TCP 5723) from ms01.contoso.com [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5723__10_0_1_12_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "management server to management server (TCP 5723) from ms02.contoso.com [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.0.1.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5723__10_21_5_7_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "agent to management server (TCP 5723) from file01.contoso.com [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.5.7/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5723__192_168_50_5_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "gateway to management server (TCP 5723) from gw01.dmz.contoso.com [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "192.168.50.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5723_5724__10_80_0_5_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "management server to management server (TCP 5723-5724) from ms01.fabrikam.com [2024-11#15]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5724
  cidr_ipv4         = "10.80.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5724__10_0_1_11_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "management server to management server (TCP 5724) from ms01.contoso.com [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5724__10_0_1_12_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "management server to management server (TCP 5724) from ms02.contoso.com [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms03_contoso_com__tcp_5724__10_0_1_40_32" {
  security_group_id = aws_security_group.management-server-ms03_contoso_com.id
  description       = "web console server to management server (TCP 5724) from web01.contoso.com [2024-11#11]"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.0.1.40/32"
}

# reporting-server: attach to rpt01.contoso.com
resource "aws_security_group" "reporting-server" {
  name        = "scom-CONTOSO-reporting-server"
  description = "SCOM CONTOSO inbound: reporting server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-reporting-server"
    "scomfw:attach-to" = "rpt01.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_80__10_0_1_11_32" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "management server to reporting server (TCP 80) from ms01.contoso.com [scomfw#1]"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_80__10_0_1_12_31" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "management server to reporting server (TCP 80) from ms02.contoso.com, ms03.contoso.com [scomfw#1]"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "reporting-server__tcp_80__10_0_10_0_25" {
  security_group_id = aws_security_group.reporting-server.id
  description       = "operations console to reporting server (TCP 80) from admin-consoles [2024-11#26]"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "10.0.10.0/25"
}

# operational-database+data-warehouse: attach to sql01.contoso.com
resource "aws_security_group" "operational-database_data-warehouse" {
  name        = "scom-CONTOSO-operational-database+data-warehouse"
  description = "SCOM CONTOSO inbound: operational database, data warehouse"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-operational-database+data-warehouse"
    "scomfw:attach-to" = "sql01.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__10_0_1_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms01.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__10_0_1_12_31" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms02.contoso.com, ms03.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__10_0_1_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms01.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__10_0_1_12_31" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms02.contoso.com, ms03.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_0_1_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms01.contoso.com [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_0_1_12_31" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms02.contoso.com, ms03.contoso.com [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_0_1_30_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "reporting server to data warehouse, operational database (TCP 1433) from rpt01.contoso.com [2024-11#27 scomfw#2]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.0.1.30/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__10_0_1_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms01.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__10_0_1_12_31" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms02.contoso.com, ms03.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.0.1.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__10_0_1_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms01.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__10_0_1_12_31" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms02.contoso.com, ms03.contoso.com [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "10.0.1.12/31"
}

# acs-database: attach to sqlacs.contoso.com
resource "aws_security_group" "acs-database" {
  name        = "scom-CONTOSO-acs-database"
  description = "SCOM CONTOSO inbound: ACS database"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-acs-database"
    "scomfw:attach-to" = "sqlacs.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "acs-database__tcp_1435__10_0_1_11_32" {
  security_group_id = aws_security_group.acs-database.id
  description       = "ACS collector to ACS database (TCP 1435) from ms01.contoso.com [2024-11#28]"
  ip_protocol       = "tcp"
  from_port         = 1435
  to_port           = 1435
  cidr_ipv4         = "10.0.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "acs-database__udp_1434__10_0_1_11_32" {
  security_group_id = aws_security_group.acs-database.id
  description       = "ACS collector to ACS database (UDP 1434) from ms01.contoso.com [2024-11#28]"
  ip_protocol       = "udp"
  from_port         = 1434
  to_port           = 1434
  cidr_ipv4         = "10.0.1.11/32"
}

# web-console-server: attach to web01.contoso.com
resource "aws_security_group" "web-console-server" {
  name        = "scom-CONTOSO-web-console-server"
  description = "SCOM CONTOSO inbound: web console server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-CONTOSO-web-console-server"
    "scomfw:attach-to" = "web01.contoso.com"
  }
}

resource "aws_vpc_security_group_ingress_rule" "web-console-server__tcp_443__10_0_10_0_25" {
  security_group_id = aws_security_group.web-console-server.id
  description       = "web console browser to web console server (TCP 443) from admin-consoles [2024-11#12]"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.10.0/25"
}

resource "aws_vpc_security_group_ingress_rule" "web-console-server__tcp_443__10_0_11_0_24" {
  security_group_id = aws_security_group.web-console-server.id
  description       = "web console browser to web console server (TCP 443) from helpdesk-browsers [2024-11#12]"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.11.0/24"
}
