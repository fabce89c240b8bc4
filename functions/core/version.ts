/** The version written into coverage manifests and checkpoints; a test keeps it equal to package.json. */
export const CODE_VERSION = '0.1.0';
