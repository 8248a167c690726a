#!/usr/bin/env bash
# Collects what `vpc-cni-sim import` reads about an EKS cluster: the read-only AWS CLI and kubectl commands below,
# run against the current AWS profile and kube-context, each command's output in one file of DIR. Nothing is
# changed in the account or the cluster. Then: npx vpc-cni-sim import DIR -o my-cluster.yaml
#
# usage: scripts/collect-cluster.sh --cluster NAME [--region REGION] [DIR]   (DIR defaults to ./cluster-NAME)
#
# The commands (one file each; describe-addon and the ENIConfigs are optional and skipped when absent):
#   aws eks describe-cluster --name NAME                                    > cluster.json
#   aws eks describe-addon --cluster-name NAME --addon-name vpc-cni         > addon-vpc-cni.json
#   aws ec2 describe-vpcs --vpc-ids VPC                                     > vpcs.json
#   aws ec2 describe-subnets --filters Name=vpc-id,Values=VPC               > subnets.json
#   aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=VPC    > network-interfaces.json
#   aws ec2 describe-instances --filters Name=vpc-id,Values=VPC             > instances.json
#   kubectl get nodes -o json                                               > nodes.json
#   kubectl get pods -A -o json                                             > pods.json
#   kubectl get daemonset aws-node -n kube-system -o json                   > aws-node.json
#   kubectl get deployments -A -o json                                      > deployments.json
#   kubectl get eniconfigs -o yaml                                          > eniconfigs.yaml
# (every aws command with --output json, and --region REGION when given; VPC is the cluster's, from cluster.json)
set -euo pipefail

usage() {
  sed -n 's/^# usage: /usage: /p' "$0" >&2
  exit 2
}

cluster=""
region=""
dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) [[ $# -ge 2 ]] || usage; cluster="$2"; shift 2 ;;
    --cluster=*) cluster="${1#*=}"; shift ;;
    --region) [[ $# -ge 2 ]] || usage; region="$2"; shift 2 ;;
    --region=*) region="${1#*=}"; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "collect-cluster.sh: unknown option $1" >&2; usage ;;
    *) [[ -z "$dir" ]] || usage; dir="$1"; shift ;;
  esac
done
[[ -n "$cluster" ]] || { echo "collect-cluster.sh: --cluster NAME is required" >&2; usage; }
dir="${dir:-cluster-$cluster}"
mkdir -p "$dir"
# Files of an earlier run go first: the folder then never mixes two moments.
for f in cluster.json addon-vpc-cni.json vpcs.json subnets.json network-interfaces.json instances.json nodes.json \
  pods.json aws-node.json deployments.json eniconfigs.yaml; do
  rm -f "${dir:?}/$f"
done

aws_opts=(--output json)
[[ -z "$region" ]] || aws_opts+=(--region "$region")

# Runs a command into DIR/FILE; the file appears only when the command succeeded, so a failure never leaves an
# error message where import would look for output.
save() {
  local file="$1"
  shift
  echo "+ $* > $dir/$file" >&2
  if ! "$@" > "$dir/$file.partial"; then
    rm -f "$dir/$file.partial"
    return 1
  fi
  mv "$dir/$file.partial" "$dir/$file"
}

# Like save, for the optional files: a failure is reported and the file left out.
save_optional() {
  local file="$1"
  if ! save "$@"; then
    echo "collect-cluster.sh: skipped $file (the command failed; import takes its defaults)" >&2
  fi
}

echo "collect-cluster.sh: kube-context $(kubectl config current-context), cluster $cluster${region:+, region $region}" >&2
save cluster.json aws eks describe-cluster --name "$cluster" "${aws_opts[@]}"
vpc="$(sed -n 's/^ *"vpcId": "\(vpc-[0-9a-f]*\)".*/\1/p' "$dir/cluster.json" | head -n 1)"
[[ -n "$vpc" ]] || { echo "collect-cluster.sh: no resourcesVpcConfig.vpcId in $dir/cluster.json" >&2; exit 1; }
save_optional addon-vpc-cni.json aws eks describe-addon --cluster-name "$cluster" --addon-name vpc-cni "${aws_opts[@]}"
save vpcs.json aws ec2 describe-vpcs --vpc-ids "$vpc" "${aws_opts[@]}"
save subnets.json aws ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" "${aws_opts[@]}"
save network-interfaces.json aws ec2 describe-network-interfaces --filters "Name=vpc-id,Values=$vpc" "${aws_opts[@]}"
save instances.json aws ec2 describe-instances --filters "Name=vpc-id,Values=$vpc" "${aws_opts[@]}"
save nodes.json kubectl get nodes -o json
save pods.json kubectl get pods -A -o json
save aws-node.json kubectl get daemonset aws-node -n kube-system -o json
save deployments.json kubectl get deployments -A -o json
save_optional eniconfigs.yaml kubectl get eniconfigs -o yaml
echo "collect-cluster.sh: wrote $dir; next: npx vpc-cni-sim import $dir -o $cluster.yaml" >&2
