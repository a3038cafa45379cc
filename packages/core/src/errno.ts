/** The C library's strerror text for the errors a user meets with files, as Solaris prints them. */
export function errnoText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EROFS':
      return 'Read-only file system';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EDQUOT':
      return 'Disc quota exceeded';
    case 'EIO':
      return 'I/O error';
    case 'ENOTEMPTY':
      return 'Directory not empty';
    case 'ELOOP':
      return 'Number of symbolic links encountered during path name traversal exceeds MAXSYMLINKS';
    default:
      return e.message;
  }
}
