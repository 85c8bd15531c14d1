// Benchmark scenarios. Each is measured against the `/health` baseline of the same run, as a ratio,
// because absolute numbers on shared machines mean little. Add new scenarios to this list.
//
// A scenario: { name, path, method?, headers?, body?, setup?(ctx) -> extra fields, target?: { minRatio } }
// `setup` runs once before the scenario and may return { path, headers, body } overrides.

export const scenarios = [
  {
    name: "GET /ready (one database round trip)",
    path: "/ready",
    target: { minRatio: 0.5 },
  },
];
