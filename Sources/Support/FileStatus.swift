import Glibc

/// What a path names on disk, read with `stat` (symbolic links followed) or `lstat`.
public struct FileStatus: Sendable, Equatable {
    /// The kind of file.
    public enum Kind: Sendable, Equatable {
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown
    }

    /// The kind of file.
    public let kind: Kind
    /// The device and inode, which identify the file whatever path reaches it.
    public let device: UInt64, inode: UInt64
    /// The size in bytes.
    public let size: Int
    /// The last modification time, in nanoseconds since the epoch.
    public let modified: Int

    /// The status of `path`, following symbolic links; nil when it does not exist or cannot be read.
    public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The status of `path` itself (a symbolic link is not followed); nil when it does not exist.
    public init?(linkAt path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The status of the open file `descriptor`; nil on error.
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    private init(_ status: stat) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int(status.st_size)
        modified = Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
    }

    /// Whether both name the same file.
    public func isSameFile(as other: FileStatus) -> Bool { device == other.device && inode == other.inode }

    /// The absolute path `path` names, resolved as far as it exists: its deepest existing ancestor
    /// made canonical (symbolic links, `.` and `..` resolved), the missing rest appended.
    public static func resolvedPath(_ path: String) -> String {
        if let canonical = canonicalPath(path) { return canonical }
        let directory = PathName.directory(of: path), name = PathName.name(of: path)
        guard directory != path, name != ".", name != ".." else { return path }
        return PathName.join(resolvedPath(directory), name)
    }

    /// The canonical absolute path of the existing `path` (symbolic links, `.` and `..` resolved), or nil.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
