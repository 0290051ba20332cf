# aws.tf: written by scomfw from the plan of management group BRANCH (catalog 2024-11, phase install).
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

# agent: attach to app01.branch.example, app02.branch.example, app03.branch.example
resource "aws_security_group" "agent" {
  name        = "scom-BRANCH-agent"
  description = "SCOM BRANCH inbound: agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-agent"
    "scomfw:attach-to" = "app01.branch.example app02.branch.example app03.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "agent__tcp_135__10_20_0_11_32" {
  security_group_id = aws_security_group.agent.id
  description       = "management server to agent (TCP 135) from ms01.branch.example [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent__tcp_139__10_20_0_11_32" {
  security_group_id = aws_security_group.agent.id
  description       = "management server to agent (TCP 139) from ms01.branch.example [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 139
  to_port           = 139
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent__tcp_445__10_20_0_11_32" {
  security_group_id = aws_security_group.agent.id
  description       = "management server to agent (TCP 445) from ms01.branch.example [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent__tcp_49152_65535__10_20_0_11_32" {
  security_group_id = aws_security_group.agent.id
  description       = "management server to agent (TCP 49152-65535) from ms01.branch.example [2024-11#18] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "agent__udp_137_138__10_20_0_11_32" {
  security_group_id = aws_security_group.agent.id
  description       = "management server to agent (UDP 137-138) from ms01.branch.example [2024-11#18] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 138
  cidr_ipv4         = "10.20.0.11/32"
}

# domain-controller: attach to dc01.branch.example
resource "aws_security_group" "domain-controller" {
  name        = "scom-BRANCH-domain-controller"
  description = "SCOM BRANCH inbound: domain controller"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-domain-controller"
    "scomfw:attach-to" = "dc01.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_53__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 53) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_88__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 88) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__tcp_389__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (TCP 389) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "tcp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_53__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 53) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_88__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 88) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 88
  to_port           = 88
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__10_20_0_11_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms01.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "domain-controller__udp_389__10_20_0_12_32" {
  security_group_id = aws_security_group.domain-controller.id
  description       = "management server to domain controller (UDP 389) from ms02.branch.example [2024-11#3]"
  ip_protocol       = "udp"
  from_port         = 389
  to_port           = 389
  cidr_ipv4         = "10.20.0.12/32"
}

# gateway: attach to gw01.branch.example
resource "aws_security_group" "gateway" {
  name        = "scom-BRANCH-gateway"
  description = "SCOM BRANCH inbound: gateway"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-gateway"
    "scomfw:attach-to" = "gw01.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__10_21_1_11_32" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from pos01.branch.example [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.1.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__10_21_1_12_30" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from pos02.branch.example, pos03.branch.example, pos04.branch.example and 1 more [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.1.12/30"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__10_21_1_16_30" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from pos06.branch.example, pos07.branch.example, pos08.branch.example and 1 more [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.1.16/30"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__10_21_1_20_31" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from pos10.branch.example, pos11.branch.example [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.1.20/31"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__10_21_1_22_32" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from pos12.branch.example [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.1.22/32"
}

# unix-agent: attach to lnx01.branch.example, lnx02.branch.example
resource "aws_security_group" "unix-agent" {
  name        = "scom-BRANCH-unix-agent"
  description = "SCOM BRANCH inbound: UNIX/Linux agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-unix-agent"
    "scomfw:attach-to" = "lnx01.branch.example lnx02.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_22__10_20_0_12_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 22) from ms02.branch.example [2024-11#20]"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_1270__10_20_0_12_32" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 1270) from ms02.branch.example [2024-11#19]"
  ip_protocol       = "tcp"
  from_port         = 1270
  to_port           = 1270
  cidr_ipv4         = "10.20.0.12/32"
}

# management-server-ms01.branch.example: attach to ms01.branch.example
resource "aws_security_group" "management-server-ms01_branch_example" {
  name        = "scom-BRANCH-management-server-ms01.branch.example"
  description = "SCOM BRANCH inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-management-server-ms01.branch.example"
    "scomfw:attach-to" = "ms01.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_branch_example__tcp_5723__10_20_0_12_32" {
  security_group_id = aws_security_group.management-server-ms01_branch_example.id
  description       = "management server to management server (TCP 5723) from ms02.branch.example [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_branch_example__tcp_5723__10_20_5_11_32" {
  security_group_id = aws_security_group.management-server-ms01_branch_example.id
  description       = "agent to management server (TCP 5723) from app01.branch.example [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.5.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_branch_example__tcp_5723__10_20_5_12_31" {
  security_group_id = aws_security_group.management-server-ms01_branch_example.id
  description       = "agent to management server (TCP 5723) from app02.branch.example, app03.branch.example [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.5.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_branch_example__tcp_5723__10_21_0_5_32" {
  security_group_id = aws_security_group.management-server-ms01_branch_example.id
  description       = "gateway to management server (TCP 5723) from gw01.branch.example [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_branch_example__tcp_5724__10_20_0_12_32" {
  security_group_id = aws_security_group.management-server-ms01_branch_example.id
  description       = "management server to management server (TCP 5724) from ms02.branch.example [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.20.0.12/32"
}

# management-server-ms02.branch.example: attach to ms02.branch.example
resource "aws_security_group" "management-server-ms02_branch_example" {
  name        = "scom-BRANCH-management-server-ms02.branch.example"
  description = "SCOM BRANCH inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-management-server-ms02.branch.example"
    "scomfw:attach-to" = "ms02.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_branch_example__tcp_5723__10_20_0_11_32" {
  security_group_id = aws_security_group.management-server-ms02_branch_example.id
  description       = "management server to management server (TCP 5723) from ms01.branch.example [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_branch_example__tcp_5723__10_20_5_11_32" {
  security_group_id = aws_security_group.management-server-ms02_branch_example.id
  description       = "agent to management server (TCP 5723) from app01.branch.example [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.5.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_branch_example__tcp_5723__10_20_5_12_31" {
  security_group_id = aws_security_group.management-server-ms02_branch_example.id
  description       = "agent to management server (TCP 5723) from app02.branch.example, app03.branch.example [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.20.5.12/31"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_branch_example__tcp_5723__10_21_0_5_32" {
  security_group_id = aws_security_group.management-server-ms02_branch_example.id
  description       = "gateway to management server (TCP 5723) from gw01.branch.example [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.21.0.5/32"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_branch_example__tcp_5724__10_20_0_11_32" {
  security_group_id = aws_security_group.management-server-ms02_branch_example.id
  description       = "management server to management server (TCP 5724) from ms01.branch.example [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv4         = "10.20.0.11/32"
}

# operational-database+data-warehouse: attach to sql01.branch.example
resource "aws_security_group" "operational-database_data-warehouse" {
  name        = "scom-BRANCH-operational-database+data-warehouse"
  description = "SCOM BRANCH inbound: operational database, data warehouse"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-BRANCH-operational-database+data-warehouse"
    "scomfw:attach-to" = "sql01.branch.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__10_20_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms01.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__10_20_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms02.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__10_20_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms01.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__10_20_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms02.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_20_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms01.branch.example [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_20_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms02.branch.example [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__10_20_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms01.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__10_20_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms02.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.20.0.12/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__10_20_0_11_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms01.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "10.20.0.11/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__10_20_0_12_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms02.branch.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "10.20.0.12/32"
}
