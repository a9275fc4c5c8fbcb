import CSystem
import Foundation
import Support

/// One file of a dataset being written: appended through a buffer, patched in place (headers
/// whose counts are known only at the end), filled by kernel copies, and moved into place by
/// an ``AtomicOutput`` only when complete. A scratch file is the same without a destination.
final class DatasetFile {
    /// The file's destination, or the scratch path.
    let path: String
    private let output: AtomicOutput?
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var flushedSize = 0
    private var closed = false
    private static let bufferSize = 1 << 22

    /// Bytes written so far.
    var size: Int { flushedSize + buffer.count }

    /// Opens the output `path` (refused when it exists unless `replacing`).
    init(output path: String, replacing: Bool) throws {
        let output = try AtomicOutput(path, kind: .file, replacing: replacing)
        self.output = output
        self.path = path
        descriptor = open(output.temporaryPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            output.abandon()
            throw DatasetError(path, "cannot create \(output.temporaryPath): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// Opens a scratch file at `path`, removed when closed.
    init(scratch path: String) throws {
        output = nil
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DatasetError(path, "cannot create: \(String(cString: strerror(errno)))") }
        unlink(path)
    }

    deinit { abandon() }

    /// The temporary path the content is written at before it is moved into place.
    var temporaryPath: String? { output?.temporaryPath }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try writeFully(bytes, at: flushedSize)
            flushedSize += bytes.count
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends `bytes`.
    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Appends a value's little-endian bytes.
    func append<T: FixedWidthInteger>(_ value: T) throws {
        var little = value.littleEndian
        try withUnsafeBytes(of: &little) { try append($0) }
    }

    /// Overwrites bytes already written at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws {
        try flush()
        precondition(offset + bytes.count <= flushedSize, "only written bytes are overwritten")
        try bytes.withUnsafeBytes { try writeFully($0, at: offset) }
    }

    /// Reads `count` bytes at `offset` of what was written.
    func read(_ count: Int, at offset: Int) throws -> [UInt8] {
        try flush()
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { throw DatasetError(path, "cannot read back what was written: \(String(cString: strerror(errno)))") }
            done += read
        }
        return bytes
    }

    /// Appends `length` bytes of the file at `source` from `offset`, copied by the kernel where it can.
    func append(contentsOf source: String, offset: Int, length: Int) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw DatasetError(source, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        try append(from: input, named: source, offset: offset, length: length)
    }

    /// Appends everything written to `other`.
    func append(contentsOf other: DatasetFile) throws {
        try other.flush()
        try append(from: other.descriptor, named: other.path, offset: 0, length: other.size)
    }

    private func append(from input: Int32, named source: String, offset: Int, length: Int) throws {
        try flush()
        var position = Int64(offset)
        let end = Int64(offset + length)
        guard lseek(descriptor, off_t(flushedSize), SEEK_SET) >= 0 else { throw DatasetError(path, "cannot seek: \(String(cString: strerror(errno)))") }
        var kernelCopy = true
        while kernelCopy, position < end {
            let copied = pt_copy_file_range(input, &position, descriptor, end - position)
            if copied > 0 {
                flushedSize += Int(copied)
            } else if copied < 0, [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, EBADF].contains(errno) {
                kernelCopy = false
            } else {
                throw DatasetError(path, "cannot copy from \(source): " + (copied == 0 ? "it ended early" : String(cString: strerror(errno))))
            }
        }
        var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
        while position < end {
            let count = Int(min(Int64(chunk.count), end - position))
            let read = chunk.withUnsafeMutableBytes { pread(input, $0.baseAddress, count, off_t(position)) }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { throw DatasetError(source, read == 0 ? "ended early" : "cannot read: \(String(cString: strerror(errno)))") }
            try chunk.withUnsafeBytes { try writeFully(UnsafeRawBufferPointer(rebasing: $0[..<read]), at: flushedSize) }
            flushedSize += read
            position += Int64(read)
        }
    }

    /// Writes the buffered bytes.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeFully($0, at: flushedSize) }
        flushedSize += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Completes the file and moves it into place.
    func commit() throws {
        try flush()
        closeDescriptor()
        try output?.commit()
    }

    /// Completes `files` (a dataset's, its index last) and moves them into place one right after
    /// another, after everything is on disk. No rename replaces two files at once, so the previous
    /// index is removed first: a run killed in between leaves the data without an index, visibly
    /// incomplete, never a new data file under an old index (or the reverse) that looks complete.
    /// The previous data files are kept linked under a leftover name until the end, so that
    /// freeing their blocks happens outside that window.
    static func publish(_ files: [DatasetFile]) throws {
        for file in files {
            try file.flush()
            file.closeDescriptor()
            try file.output?.prepare()
        }
        var kept: [String] = []
        if files.count > 1, let index = files.last, FileStatus(linkAt: index.path) != nil {
            for file in files.dropLast() {
                guard let temporary = file.temporaryPath, FileStatus(linkAt: file.path) != nil, link(file.path, temporary + ".old") == 0 else { continue }
                kept.append(temporary + ".old")
            }
            guard unlink(index.path) == 0 else { throw DatasetError(index.path, "cannot remove the previous index: \(String(cString: strerror(errno)))") }
        }
        for (position, file) in files.enumerated() { try file.output?.commit(synchronizingDirectory: position == files.count - 1) }
        for path in kept { unlink(path) }
    }

    /// Removes what was written.
    func abandon() {
        closeDescriptor()
        output?.abandon()
    }

    private func closeDescriptor() {
        guard !closed else { return }
        closed = true
        close(descriptor)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw DatasetError(path, "cannot write: \(String(cString: strerror(errno)))") }
            done += written
        }
    }
}
