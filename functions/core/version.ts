import packageJson from '../../package.json' with { type: 'json' };

/** The version written into coverage manifests, checkpoints and the User-Agent. */
export const CODE_VERSION: string = packageJson.version;
