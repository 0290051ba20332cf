# aws.tf: written by scomfw from the plan of management group V6LAB (catalog 2024-11, phase install).
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

# gateway: attach to gw01.v6.example
# IPv4 sources are left out: no host of this set has an IPv4 address.
resource "aws_security_group" "gateway" {
  name        = "scom-V6LAB-gateway"
  description = "SCOM V6LAB inbound: gateway"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-V6LAB-gateway"
    "scomfw:attach-to" = "gw01.v6.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_8_64" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:8::/64"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_1_128" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::1/128"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_2_127" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::2/127"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_4_126" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::4/126"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_8_125" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::8/125"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_10_124" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::10/124"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_20_123" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::20/123"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_40_122" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::40/122"
}

resource "aws_vpc_security_group_ingress_rule" "gateway__tcp_5723__fd00_9_80_121" {
  security_group_id = aws_security_group.gateway.id
  description       = "agent to gateway (TCP 5723) from agents-v6 [2024-11#17]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:9::80/121"
}

# unix-agent: attach to linux-v6
resource "aws_security_group" "unix-agent" {
  name        = "scom-V6LAB-unix-agent"
  description = "SCOM V6LAB inbound: UNIX/Linux agent"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-V6LAB-unix-agent"
    "scomfw:attach-to" = "linux-v6"
  }
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_1270__fd00_6_12_128" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 1270) from ms02.v6.example [2024-11#19]"
  ip_protocol       = "tcp"
  from_port         = 1270
  to_port           = 1270
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "unix-agent__tcp_2222__fd00_6_12_128" {
  security_group_id = aws_security_group.unix-agent.id
  description       = "management server to UNIX/Linux agent (TCP 2222) from ms02.v6.example [2024-11#20]"
  ip_protocol       = "tcp"
  from_port         = 2222
  to_port           = 2222
  cidr_ipv6         = "fd00:6::12/128"
}

# management-server-ms01.v6.example: attach to ms01.v6.example
resource "aws_security_group" "management-server-ms01_v6_example" {
  name        = "scom-V6LAB-management-server-ms01.v6.example"
  description = "SCOM V6LAB inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-V6LAB-management-server-ms01.v6.example"
    "scomfw:attach-to" = "ms01.v6.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_v6_example__tcp_5723__fd00_6_12_128" {
  security_group_id = aws_security_group.management-server-ms01_v6_example.id
  description       = "management server to management server (TCP 5723) from ms02.v6.example [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_v6_example__tcp_5723__fd00_7_5_128" {
  security_group_id = aws_security_group.management-server-ms01_v6_example.id
  description       = "gateway to management server (TCP 5723) from gw01.v6.example [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:7::5/128"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms01_v6_example__tcp_5724__fd00_6_12_128" {
  security_group_id = aws_security_group.management-server-ms01_v6_example.id
  description       = "management server to management server (TCP 5724) from ms02.v6.example [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv6         = "fd00:6::12/128"
}

# management-server-ms02.v6.example: attach to ms02.v6.example
# IPv4 sources are left out: no host of this set has an IPv4 address.
resource "aws_security_group" "management-server-ms02_v6_example" {
  name        = "scom-V6LAB-management-server-ms02.v6.example"
  description = "SCOM V6LAB inbound: management server"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-V6LAB-management-server-ms02.v6.example"
    "scomfw:attach-to" = "ms02.v6.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_v6_example__tcp_5723__fd00_6_11_128" {
  security_group_id = aws_security_group.management-server-ms02_v6_example.id
  description       = "management server to management server (TCP 5723) from ms01.v6.example [2024-11#2]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_v6_example__tcp_5723__fd00_7_5_128" {
  security_group_id = aws_security_group.management-server-ms02_v6_example.id
  description       = "gateway to management server (TCP 5723) from gw01.v6.example [2024-11#5 2024-11#22]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv6         = "fd00:7::5/128"
}

resource "aws_vpc_security_group_ingress_rule" "management-server-ms02_v6_example__tcp_5724__fd00_6_11_128" {
  security_group_id = aws_security_group.management-server-ms02_v6_example.id
  description       = "management server to management server (TCP 5724) from ms01.v6.example [2024-11#2] install only"
  ip_protocol       = "tcp"
  from_port         = 5724
  to_port           = 5724
  cidr_ipv6         = "fd00:6::11/128"
}

# operational-database+data-warehouse: attach to sql01.v6.example
# IPv4 sources are left out: no host of this set has an IPv4 address.
resource "aws_security_group" "operational-database_data-warehouse" {
  name        = "scom-V6LAB-operational-database+data-warehouse"
  description = "SCOM V6LAB inbound: operational database, data warehouse"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-V6LAB-operational-database+data-warehouse"
    "scomfw:attach-to" = "sql01.v6.example"
  }
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__fd00_6_11_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms01.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__fd00_6_12_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from ms02.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__fd00_6_11_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms01.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__fd00_6_12_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from ms02.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__fd00_6_11_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms01.v6.example [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__fd00_6_12_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from ms02.v6.example [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__fd00_6_11_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms01.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__fd00_6_12_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from ms02.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv6         = "fd00:6::12/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__fd00_6_11_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms01.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv6         = "fd00:6::11/128"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__fd00_6_12_128" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from ms02.v6.example [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv6         = "fd00:6::12/128"
}
