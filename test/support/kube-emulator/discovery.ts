/**
 * Discovery as a kube-apiserver without aggregated discovery serves it (clients fall back to these documents), and
 * the slice of OpenAPI v3 that kubectl reads before `apply`: which PATCH operations accept `fieldValidation`.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from './resources.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface GroupVersion {
  group: string;
  version: string;
  types: ResourceType[];
}

function groupVersions(): GroupVersion[] {
  const byKey = new Map<string, GroupVersion>();
  for (const type of RESOURCE_TYPES) {
    const key = apiVersionOf(type);
    const entry = byKey.get(key) ?? { group: type.group, version: type.version, types: [] };
    entry.types.push(type);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export function coreVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDocument(group: string): Record<string, unknown> {
  const versions = groupVersions()
    .filter((entry) => entry.group === group)
    .map((entry) => ({ groupVersion: `${group}/${entry.version}`, version: entry.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(): unknown {
  const groups = [...new Set(groupVersions().map((entry) => entry.group))].filter((group) => group !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDocument) };
}

export function group(name: string): unknown | undefined {
  if (!groupVersions().some((entry) => entry.group === name && name !== '')) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(name) };
}

export function resourceList(groupName: string, version: string): unknown | undefined {
  const entry = groupVersions().find((candidate) => candidate.group === groupName && candidate.version === version);
  if (!entry) return undefined;
  const resources = entry.types.flatMap((type) => [
    {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: VERBS,
      ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
      ...(type.custom ? { categories: [] } : {}),
    },
    ...(type.statusSubresource ? [{ name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] }] : []),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(entry.types[0]!), resources };
}

const gvPath = (entry: GroupVersion) => (entry.group ? `apis/${entry.group}/${entry.version}` : `api/${entry.version}`);

function openApiDocument(entry: GroupVersion): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const type of entry.types) {
    const base = `/${gvPath(entry)}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}/{name}`;
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' } }));
    paths[base] = {
      get: { operationId: `read${type.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
      patch: { operationId: `patch${type.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters, responses: { '200': { description: 'OK' } } },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion }, paths, components: { schemas: {} } };
}

function hashOf(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').slice(0, 128).toUpperCase();
}

export function openApiRoot(): unknown {
  const paths = Object.fromEntries(groupVersions().map((entry) => [gvPath(entry), { serverRelativeURL: `/openapi/v3/${gvPath(entry)}?hash=${hashOf(openApiDocument(entry))}` }]));
  return { paths };
}

export function openApiFor(path: string): unknown | undefined {
  const entry = groupVersions().find((candidate) => gvPath(candidate) === path);
  return entry && openApiDocument(entry);
}
