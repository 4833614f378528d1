// TanStack Query keys, in one factory so invalidations name exact keys.
export const queryKeys = {
  health: ["health"] as const,
};
