import * as z from 'zod';
import { parseCategoryRules } from '../../functions/core/domo/category-rules.ts';
import { errorMessage } from '../../functions/core/error-message.ts';

/**
 * The rules' JSON travels in the function's environment, which Lambda caps at 4 KB for all its
 * variables together; the others take well under 1 KB.
 */
const MAX_CATEGORY_RULES_BYTES = 3000;

/**
 * `ingest.categoryRules`: what a `--category-rules` file holds (an array of rules, tried before the
 * built-in ones, or `{"replaceBuiltIn": true, "rules": [...]}`), checked here with the same parser
 * the function uses, so a bad rule fails the synth instead of every scheduled run.
 */
export const categoryRules = z
  .unknown()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parseCategoryRules(value, 'rule');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${errorMessage(error)} (see docs/ingest.md, "Categories")` });
      return;
    }
    // Lambda counts the environment's bytes: a pattern in another script takes 2-4 per character.
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > MAX_CATEGORY_RULES_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes of JSON; the function's environment (4 KB for all its variables) takes at most ${MAX_CATEGORY_RULES_BYTES}: shorten the patterns or merge rules with |`,
      });
    }
  });
