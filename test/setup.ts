import 'aws-sdk-client-mock-vitest/extend';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll } from 'vitest';

// Template.fromStack leaves cdk.out* directories in the OS temp dir; vitest has no jest-autoclean.
afterAll(() => CloudAssembly.cleanupTemporaryDirectories());
