/**
 * The error shapes of the WebHDFS test double, from the Hadoop WebHDFS REST API documentation ("Error Responses"):
 * a JSON body `{"RemoteException":{"exception":..,"javaClassName":..,"message":..}}` with a status chosen by the
 * exception's class: IllegalArgumentException and UnsupportedOperationException 400, SecurityException 401,
 * IOException (and its subclasses: AccessControlException, FileAlreadyExistsException, quota errors, InvalidToken)
 * 403, FileNotFoundException 404, RuntimeException 500.
 */
export class RemoteException extends Error {
  constructor(
    readonly status: number,
    readonly javaClassName: string,
    message: string,
  ) {
    super(message);
  }

  /** The simple class name, as the `exception` field gives it (`SecretManager$InvalidToken` gives `InvalidToken`). */
  get exception(): string {
    return this.javaClassName.split(/[.$]/).pop() ?? this.javaClassName;
  }

  /** The response body. */
  toJSON(): object {
    return { RemoteException: { exception: this.exception, javaClassName: this.javaClassName, message: this.message } };
  }
}

/** The exceptions the double throws, named after HDFS's own. */
export const remoteExceptions = {
  fileNotFound: (message: string) => new RemoteException(404, 'java.io.FileNotFoundException', message),
  accessControl: (user: string, access: string, inode: string) =>
    new RemoteException(403, 'org.apache.hadoop.security.AccessControlException', `Permission denied: user=${user}, access=${access}, inode="${inode}"`),
  alreadyExists: (message: string) => new RemoteException(403, 'org.apache.hadoop.fs.FileAlreadyExistsException', message),
  parentNotDirectory: (path: string) => new RemoteException(403, 'org.apache.hadoop.fs.ParentNotDirectoryException', `Parent path is not a directory: ${path}`),
  notEmpty: (path: string) => new RemoteException(403, 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException', `\`${path} is non empty': Directory is not empty`),
  quotaExceeded: (directory: string, quota: number, consumed: number) =>
    new RemoteException(403, 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException', `The DiskSpace quota of ${directory} is exceeded: quota = ${quota} B but diskspace consumed = ${consumed} B`),
  invalidToken: (token: string) => new RemoteException(403, 'org.apache.hadoop.security.token.SecretManager$InvalidToken', `token (${token}) can't be found in cache`),
  illegalArgument: (message: string) => new RemoteException(400, 'java.lang.IllegalArgumentException', message),
  runtime: (message: string) => new RemoteException(500, 'java.lang.RuntimeException', message),
};
