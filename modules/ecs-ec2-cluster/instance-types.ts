/**
 * What an ECS container instance of each accepted type offers tasks. A pure table: no cdktf.
 *
 * CPU: the agent registers 1,024 units per vCPU. Memory: the agent registers what the kernel reports
 * (installed memory less kernel and platform overhead: an m4.large's 8,192 MiB registers as 7,985)
 * minus ECS_RESERVED_MEMORY. We estimate the overhead at 4% (small instances lose the largest share),
 * and the cluster reserves 256 MiB for the agent and system processes, so the estimate errs low: a
 * task that passes this check fits. DescribeContainerInstances gives the exact figure of a running instance.
 */

/** MiB the cluster's user data reserves for the ECS agent and system processes (ECS_RESERVED_MEMORY). */
export const RESERVED_MEMORY_MIB = 256;
/** Kernel and platform share of installed memory, estimated high. */
export const KERNEL_OVERHEAD = 0.04;

/** [vCPUs, installed memory in MiB] per instance type. x86_64 only: the cluster uses the x86_64 ECS AMI. */
export const INSTANCE_TYPES: Readonly<Record<string, readonly [number, number]>> = {
  't2.nano': [1, 512],
  't2.micro': [1, 1024],
  't2.small': [1, 2048],
  't2.medium': [2, 4096],
  't2.large': [2, 8192],
  't2.xlarge': [4, 16384],
  't2.2xlarge': [8, 32768],
  't3.nano': [2, 512],
  't3.micro': [2, 1024],
  't3.small': [2, 2048],
  't3.medium': [2, 4096],
  't3.large': [2, 8192],
  't3.xlarge': [4, 16384],
  't3.2xlarge': [8, 32768],
  't3a.micro': [2, 1024],
  't3a.small': [2, 2048],
  't3a.medium': [2, 4096],
  't3a.large': [2, 8192],
  't3a.xlarge': [4, 16384],
  't3a.2xlarge': [8, 32768],
  'm5.large': [2, 8192],
  'm5.xlarge': [4, 16384],
  'm5.2xlarge': [8, 32768],
  'm5.4xlarge': [16, 65536],
  'm5.8xlarge': [32, 131072],
  'm5.12xlarge': [48, 196608],
  'm5.16xlarge': [64, 262144],
  'm5.24xlarge': [96, 393216],
  'm6i.large': [2, 8192],
  'm6i.xlarge': [4, 16384],
  'm6i.2xlarge': [8, 32768],
  'm6i.4xlarge': [16, 65536],
  'm6i.8xlarge': [32, 131072],
  'm6i.12xlarge': [48, 196608],
  'm6i.16xlarge': [64, 262144],
  'm6i.24xlarge': [96, 393216],
  'm6i.32xlarge': [128, 524288],
  'c5.large': [2, 4096],
  'c5.xlarge': [4, 8192],
  'c5.2xlarge': [8, 16384],
  'c5.4xlarge': [16, 32768],
  'c5.9xlarge': [36, 73728],
  'c5.12xlarge': [48, 98304],
  'c5.18xlarge': [72, 147456],
  'c5.24xlarge': [96, 196608],
  'c6i.large': [2, 4096],
  'c6i.xlarge': [4, 8192],
  'c6i.2xlarge': [8, 16384],
  'c6i.4xlarge': [16, 32768],
  'c6i.8xlarge': [32, 65536],
  'c6i.12xlarge': [48, 98304],
  'c6i.16xlarge': [64, 131072],
  'c6i.24xlarge': [96, 196608],
  'c6i.32xlarge': [128, 262144],
};

export interface InstanceCapacity {
  /** vCPUs of one instance. */
  readonly vcpus: number;
  /** Memory of one instance, MiB. */
  readonly memoryMiB: number;
  /** CPU units tasks can reserve on one instance. */
  readonly registrableCpu: number;
  /** MiB tasks can reserve on one instance (an estimate that errs low). */
  readonly registrableMemoryMiB: number;
}

/** The capacity of an instance type, or undefined for a type the table does not know. */
export function instanceCapacity(instanceType: string): InstanceCapacity | undefined {
  const entry = INSTANCE_TYPES[instanceType];
  if (!entry) return undefined;
  const [vcpus, memoryMiB] = entry;
  return {
    vcpus,
    memoryMiB,
    registrableCpu: vcpus * 1024,
    registrableMemoryMiB: Math.floor(memoryMiB * (1 - KERNEL_OVERHEAD)) - RESERVED_MEMORY_MIB,
  };
}

/** Why a task of `cpu` units and `memory` MiB does not fit an instance type, or null when it does. */
export function taskFitProblem(instanceType: string, cpu: number, memory: number): string | null {
  const capacity = instanceCapacity(instanceType);
  if (!capacity) return `instance type ${instanceType} is unknown`;
  const problems: string[] = [];
  if (cpu > capacity.registrableCpu)
    problems.push(`cpu ${cpu} units exceeds the ${capacity.registrableCpu} a ${instanceType} registers`);
  if (memory > capacity.registrableMemoryMiB) {
    problems.push(
      `memory ${memory} MiB exceeds the about ${capacity.registrableMemoryMiB} MiB a ${instanceType} registers`,
    );
  }
  return problems.length > 0 ? problems.join('; ') : null;
}
