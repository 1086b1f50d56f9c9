/**
 * Every kind of check, in the order the rubric format lists them. The schema, the probe
 * registry and the rubric model are each checked against this one list.
 */
export const CHECK_KINDS = ['file', 'dockerfile', 'build', 'image', 'http', 'tcp', 'exec', 'run', 'logs', 'stop'] as const;

export type CheckKind = (typeof CHECK_KINDS)[number];
