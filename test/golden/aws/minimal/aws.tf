# aws.tf: written by scomfw from the plan of management group LAB (catalog 2024-11, phase install).
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

# management-server+operations-console: attach to scom01
resource "aws_security_group" "management-server_operations-console" {
  name        = "scom-LAB-management-server+operations-console"
  description = "SCOM LAB inbound: management server, operations console"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-LAB-management-server+operations-console"
    "scomfw:attach-to" = "scom01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "management-server_operations-console__tcp_5723__10_1_1_0_24" {
  security_group_id = aws_security_group.management-server_operations-console.id
  description       = "agent to management server (TCP 5723) from servers [2024-11#16]"
  ip_protocol       = "tcp"
  from_port         = 5723
  to_port           = 5723
  cidr_ipv4         = "10.1.1.0/24"
}

# operational-database+data-warehouse: attach to sql01
resource "aws_security_group" "operational-database_data-warehouse" {
  name        = "scom-LAB-operational-database+data-warehouse"
  description = "SCOM LAB inbound: operational database, data warehouse"
  vpc_id      = var.vpc_id
  tags = {
    Name               = "scom-LAB-operational-database+data-warehouse"
    "scomfw:attach-to" = "sql01"
  }
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_135__10_1_0_10_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 135) from scom01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 135
  to_port           = 135
  cidr_ipv4         = "10.1.0.10/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_445__10_1_0_10_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 445) from scom01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 445
  to_port           = 445
  cidr_ipv4         = "10.1.0.10/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_1433__10_1_0_10_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 1433) from scom01 [2024-11#1 2024-11#6]"
  ip_protocol       = "tcp"
  from_port         = 1433
  to_port           = 1433
  cidr_ipv4         = "10.1.0.10/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__tcp_49152_65535__10_1_0_10_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (TCP 49152-65535) from scom01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "tcp"
  from_port         = 49152
  to_port           = 65535
  cidr_ipv4         = "10.1.0.10/32"
}

resource "aws_vpc_security_group_ingress_rule" "operational-database_data-warehouse__udp_137__10_1_0_10_32" {
  security_group_id = aws_security_group.operational-database_data-warehouse.id
  description       = "management server to data warehouse, operational database (UDP 137) from scom01 [2024-11#1 2024-11#6] install only"
  ip_protocol       = "udp"
  from_port         = 137
  to_port           = 137
  cidr_ipv4         = "10.1.0.10/32"
}
