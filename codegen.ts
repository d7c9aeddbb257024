// Placeholder until the SDK issue: will print schema.graphql and generate sdk/.
process.stdout.write('codegen: not implemented yet (see the SDK issue)\n');
