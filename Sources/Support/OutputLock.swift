import Glibc

/// An exclusive lock on an output, held from the start of a run to the moment its result is in
/// place, so that a second run writing the same output fails at once instead of silently
/// replacing the first one's result. The lock is `flock` on a hidden file beside the output:
/// the kernel releases it when its holder dies, and the holder removes the file when done.
final class OutputLock {
    /// The lock file.
    let path: String
    private var descriptor: Int32

    /// Takes the lock file at `path` for `output`; throws at once when another process holds it.
    init(path: String, output: String) throws {
        self.path = path
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw OutputError(output, "cannot create the lock file \(path): \(systemErrorMessage())")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(descriptor)
                if code == EWOULDBLOCK { throw OutputError(output, .locked(path)) }
                throw OutputError(output, "cannot lock \(path): \(systemErrorMessage(code))")
            }
            // The previous holder removes the file before releasing it: a lock taken on a removed
            // file guards nothing, so take the one now at the path instead.
            if let held = FileStatus(descriptor: descriptor), let current = FileStatus(linkAt: path), held.isSameFile(as: current) {
                self.descriptor = descriptor
                return
            }
            close(descriptor)
        }
    }

    /// Removes the lock file and releases the lock.
    func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
