// What Kubernetes' generated names and object references say, for every parser that reads them.
import type { WorkloadRef } from "@/lib/findings/model";

/** Kubernetes' generated name suffixes use an alphabet without vowels (so they never spell words). */
const SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]";
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SUFFIX}{6,10}-${SUFFIX}{5}$`);
const OWNED_POD = new RegExp(`^(.+)-${SUFFIX}{5}$`);
const DEPLOYMENT_REPLICASET = new RegExp(`^(.+)-${SUFFIX}{6,10}$`);

/** Deployment pods are named <deployment>-<replicaset hash>-<5 chars>; others <owner>-<5 chars>. */
export function workloadOfPod(pod: string): string {
  return DEPLOYMENT_POD.exec(pod)?.[1] ?? OWNED_POD.exec(pod)?.[1] ?? pod;
}

/** A Deployment's ReplicaSet is named <deployment>-<pod-template hash>: the Deployment, when the name says so. */
export function ownerOfReplicaSet(name: string): string | null {
  return DEPLOYMENT_REPLICASET.exec(name)?.[1] ?? null;
}

/** "namespace/Kind/name", or "Kind/name" for a cluster-scoped object: how findings name the object they are about. */
export function resourceLabel(w: WorkloadRef): string {
  return `${w.namespace ? `${w.namespace}/` : ""}${w.kind}/${w.name}`;
}
