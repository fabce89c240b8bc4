/**
 * The part every inline-code custom resource handler of the stack shares, as source to put before
 * it (CommonJS, the runtime's own `fetch`): the answer to CloudFormation, SUCCESS without a
 * reason to refuse, FAILED with it. Every path of a handler must reach it, or CloudFormation waits
 * for the resource's timeout. An answer the response URL does not take (S3 busy, 5xx) fails the
 * run, so that Lambda tries the event again (a minute, then two, later) rather than leave
 * CloudFormation waiting unanswered: each handler's work is the same again.
 */
export const ANSWER_CLOUDFORMATION = `async function answer(event, reason, done, physicalId) {
  const response = {
    Status: reason === undefined ? 'SUCCESS' : 'FAILED',
    Reason: reason === undefined ? done : reason,
    PhysicalResourceId: event.PhysicalResourceId || physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  const sent = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
  if (!sent.ok) throw new Error('the answer to CloudFormation was refused: HTTP ' + sent.status);
}
`;
