import { statSync } from 'node:fs';
import path from 'node:path';
import { DefaultStackSynthesizer, type ISynthesisSession, NestedStack } from 'aws-cdk-lib';
import { ConfigError } from './config/config-error.ts';

/**
 * CloudFormation refuses a template body over 1,000,000 bytes, even one `cdk deploy` uploads
 * through S3. Its quotas page says "1 MB"; the decimal megabyte is how AWS's own tools count it:
 * cfn-lint's rule E1002 (`LIMITS["template"]["body"] = 1000000` in its helpers.py, quoted in
 * aws-cloudformation/cfn-lint#3129) and aws-cdk-lib's Stack (`TEMPLATE_BODY_MAXIMUM_SIZE = 1e6`,
 * which only warns at synth past 80 % of it).
 */
export const TEMPLATE_MAX_BYTES = 1_000_000;

/** Why a template of `bytes` is refused and how to make it smaller; undefined when it fits. */
function templateSizeProblem(stackName: string, bytes: number): string | undefined {
  if (bytes <= TEMPLATE_MAX_BYTES) return undefined;
  return (
    `The template of stack "${stackName}" is ${bytes} bytes: CloudFormation refuses a template over ` +
    `${TEMPLATE_MAX_BYTES} bytes at deploy. Make it smaller: fewer instances (split them between ` +
    'stacks, docs/configuration.md "How many fit"), a shorter stackName or shorter instance names ' +
    '(each is written in every alarm name), fewer or shorter report.recipients and ' +
    'alerts.recipients (a mailing list address instead of each person).'
  );
}

/** A nested stack that says what it holds and how to make its template smaller. */
export interface SizeAdvised {
  readonly sizeAdvice: string;
}

/**
 * Why the template of nested stack `nestedPath` (of stack `stackName`), of `bytes`, is refused;
 * undefined when it fits. A nested template has a limit of its own, the same as a stack's.
 */
function nestedTemplateSizeProblem(
  stackName: string,
  nestedPath: string,
  bytes: number,
  advice = '',
): string | undefined {
  if (bytes <= TEMPLATE_MAX_BYTES) return undefined;
  return (
    `The template of nested stack "${nestedPath}" of stack "${stackName}" is ${bytes} bytes: ` +
    `CloudFormation refuses a template over ${TEMPLATE_MAX_BYTES} bytes at deploy, a nested ` +
    `stack's as well.${advice === '' ? '' : ` ${advice}`}`
  );
}

const adviceOf = (nested: NestedStack): string =>
  'sizeAdvice' in nested && typeof nested.sizeAdvice === 'string' ? nested.sizeAdvice : '';

/**
 * The default synthesizer, which then measures the template it wrote and refuses one CloudFormation
 * would refuse. Why here: the size is known only once the template is written, after every
 * validation has run, and CDK itself only warns (which `cdk synth` and `cdk deploy` go past): the
 * refusal came at deploy, after the assets were uploaded, and named no way out.
 *
 * @throws ConfigError when the written template, or a nested stack's, is over
 *   {@link TEMPLATE_MAX_BYTES}.
 */
export class SizeCheckedSynthesizer extends DefaultStackSynthesizer {
  override synthesize(session: ISynthesisSession): void {
    super.synthesize(session);
    const stack = this.boundStack;
    const sizeOf = (templateFile: string) => statSync(path.join(session.outdir, templateFile)).size;
    // Nested stacks are children of this one, so CDK has written their templates already.
    const nested = stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
    const problems = [
      templateSizeProblem(stack.stackName, sizeOf(stack.templateFile)),
      ...nested.map((n) =>
        nestedTemplateSizeProblem(stack.stackName, n.node.path, sizeOf(n.templateFile), adviceOf(n)),
      ),
    ].filter((problem): problem is string => problem !== undefined);
    // A config error: what makes the template this large is what the operator wrote (or, for a
    // nested one, the SQL they or a release added); under its own heading, as no one key of the
    // context is wrong.
    if (problems.length > 0)
      throw new ConfigError(problems, `Stack "${stack.stackName}" is too large for CloudFormation`);
  }
}
