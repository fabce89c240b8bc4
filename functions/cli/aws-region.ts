/**
 * The shape of an AWS region's name: a partition's or an area's code of 2 to 4 letters, one to
 * three words (a place, a compass point; `gov`, `iso` and such in the other partitions) and a
 * number: eu-west-1, us-gov-west-1, cn-north-1, ap-southeast-5, il-central-1, eusc-de-east-1.
 * A shape and not a list: regions open every year, and a list would refuse the newest.
 */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;

const EXPECTED =
  'an AWS region is written like eu-west-1, us-east-1 or ap-southeast-2: pass the region of the stack';

/**
 * `value` when it is shaped like an AWS region, else an error saying the shape: the SDK would take
 * any word and fail later, after retries, on an endpoint that does not resolve. An availability
 * zone (`eu-west-1a`), capitals and spaces around a region are named as such, with the region meant.
 */
export function awsRegion(value: string): string {
  if (REGION_SHAPE.test(value)) return value;
  const trimmed = value.trim();
  // A value pasted or quoted with its spaces: the region is right, only the spaces are wrong.
  if (trimmed !== value && REGION_SHAPE.test(trimmed)) {
    throw new Error(`the region has spaces around it: write ${trimmed}`);
  }
  const zone = /^(.*-\d{1,2})[a-z]$/.exec(value.toLowerCase())?.[1];
  if (zone !== undefined && REGION_SHAPE.test(zone)) {
    throw new Error(`${value} is an availability zone, not a region: its region is ${zone}`);
  }
  if (REGION_SHAPE.test(value.toLowerCase())) {
    throw new Error(`AWS regions are written in lowercase: ${value.toLowerCase()}`);
  }
  throw new Error(`not an AWS region: ${EXPECTED}`);
}
