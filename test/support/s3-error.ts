import { S3ServiceException } from '@aws-sdk/client-s3';

/** An S3 error as the SDK raises it (name, client fault, HTTP status), for mocked S3 answers. */
export const s3Error = (name: string, httpStatusCode: number) =>
  new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: `${name} from S3`,
  });
