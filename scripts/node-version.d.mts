/** Why Node `version` cannot run a project whose package.json `engines.node` is `engines`. */
export function nodeVersionProblem(version: string, engines: string | undefined): string | undefined;
