# The traced chatbot architecture in plain HCL, composed from the published modules
# (npm run build:modules writes them to dist/terraform-modules/). The Lambda zips are the ones
# npm run synth builds: cdktf.out/stacks/<env>/assets/{chatbot,consumer}_code/<hash>/function.zip.
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 6.25, < 7.0" }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { project = "traced-chatbot", environment = var.environment, managed-by = "terraform" }
  }
}

variable "region" {
  description = "AWS region"
  type        = string
  default     = "us-west-2"
}

variable "environment" {
  description = "Environment name, a prefix of every resource name"
  type        = string
  default     = "dev"
}

variable "chatbot_zip" {
  description = "Path of the chatbot deployment zip"
  type        = string
}

variable "consumer_zip" {
  description = "Path of the enquiry consumer deployment zip"
  type        = string
}

variable "bedrock_agent_id" {
  description = "The Bedrock agent the chatbot invokes"
  type        = string
}

variable "bedrock_agent_alias_id" {
  description = "The agent alias the chatbot invokes"
  type        = string
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

module "network" {
  source = "../../dist/terraform-modules/network"

  name         = "${var.environment}-network"
  az_count     = 2
  nat_gateways = "single"
}

module "cluster" {
  source = "../../dist/terraform-modules/ecs-ec2-cluster"

  cluster_name = "${var.environment}-observability"
  vpc_id       = module.network.vpc_id
  subnet_ids   = module.network.private_subnet_ids
}

module "collector" {
  source = "../../dist/terraform-modules/adot-collector"

  cluster_name       = module.cluster.cluster_name
  cluster_arn        = module.cluster.cluster_arn
  emf_log_group_name = "/aws/ecs/${var.environment}/application/metrics"

  # Destroy the service before the cluster's capacity providers and instances.
  depends_on = [module.cluster]
}

module "consumer" {
  source = "../../dist/terraform-modules/traced-function"

  function_name = "${var.environment}-enquiry-consumer"
  zip_path      = var.consumer_zip
  vpc_id        = module.network.vpc_id
  subnet_ids    = module.network.private_subnet_ids
}

module "enquiries" {
  source = "../../dist/terraform-modules/traced-queue"

  queue_name                 = "${var.environment}-enquiries"
  consumer_function_arn      = module.consumer.function_arn
  consumer_role_name         = module.consumer.role_name
  consumer_timeout_seconds   = 10
  visibility_timeout_seconds = 60
}

module "chatbot" {
  source = "../../dist/terraform-modules/traced-function"

  function_name   = "${var.environment}-chatbot"
  zip_path        = var.chatbot_zip
  timeout_seconds = 29
  vpc_id          = module.network.vpc_id
  subnet_ids      = module.network.private_subnet_ids

  environment = {
    BEDROCK_AGENT_ID       = var.bedrock_agent_id
    BEDROCK_AGENT_ALIAS_ID = var.bedrock_agent_alias_id
    ENQUIRY_QUEUE_URL      = module.enquiries.queue_url
    SIMULATE_FAILURE       = "false"
  }
}

# The chatbot's grants: send to the one queue, invoke the one agent alias.
data "aws_iam_policy_document" "chatbot_grants" {
  statement {
    sid       = "SendEnquiries"
    actions   = ["sqs:SendMessage"]
    resources = [module.enquiries.queue_arn]
  }
  statement {
    sid       = "InvokeAgentAlias"
    actions   = ["bedrock:InvokeAgent"]
    resources = ["arn:${data.aws_partition.current.partition}:bedrock:${var.region}:${data.aws_caller_identity.current.account_id}:agent-alias/${var.bedrock_agent_id}/${var.bedrock_agent_alias_id}"]
  }
}

resource "aws_iam_role_policy" "chatbot_grants" {
  name   = "${var.environment}-chatbot-grants"
  role   = module.chatbot.role_name
  policy = data.aws_iam_policy_document.chatbot_grants.json
}

module "api" {
  source = "../../dist/terraform-modules/traced-rest-api"

  api_name = "${var.environment}-chatbot"

  routes = [
    {
      path                = "/chat"
      method              = "POST"
      function_name       = module.chatbot.function_name
      function_invoke_arn = module.chatbot.invoke_arn
      body_schema         = jsonencode({ type = "object", required = ["question"], properties = { question = { type = "string", minLength = 1, maxLength = 4000 }, sessionId = { type = "string" } } })
    },
    { path = "/health", method = "GET", mock_body = jsonencode({ status = "ok" }) },
  ]

  manage_account_log_role = true
}

module "sampling" {
  source = "../../dist/terraform-modules/xray-sampling-rules"

  rules = [
    { name = "${var.environment}-health", priority = 100, fixed_rate = 0, reservoir_size = 0, url_path = "/health*" },
    { name = "${var.environment}-critical-payment", priority = 200, fixed_rate = 1, reservoir_size = 1, url_path = "/payment*" },
    { name = "${var.environment}-chat", priority = 300, fixed_rate = 0.1, reservoir_size = 5, http_method = "POST", url_path = "/chat*" },
  ]
}

output "invoke_url" {
  description = "Base URL of the chatbot API (POST <invoke_url>/chat)"
  value       = module.api.invoke_url
}

output "api_key" {
  description = "API key for the x-api-key header"
  value       = module.api.api_key_value
  sensitive   = true
}

output "queue_url" {
  description = "Enquiry queue URL"
  value       = module.enquiries.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue URL"
  value       = module.enquiries.dlq_url
}
