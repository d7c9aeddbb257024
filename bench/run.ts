// Placeholder until the benchmark issue: will start a database, server and processor and
// measure them against baselines in one run.
process.stdout.write('bench: not implemented yet (see the benchmark issue)\n');
