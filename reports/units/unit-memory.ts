/**
 * The service unit's memory limits as `deploy setup` renders them by default. QA projects growth against
 * the same MemoryHigh the deploy watch judges by, so both read these (checks/ and deploy/ never import
 * each other).
 */
export const UNIT_MEMORY_DEFAULTS = { memoryMax: '512M', memoryHigh: '448M' } as const;
