import CSystem
import Foundation

/// A file or directory being written so that, whatever happens to the run (an error, a crash,
/// SIGKILL), the path holds either its previous content or the complete new one, never a mix.
///
/// Opening an output, before any work:
/// - resolves it (the canonical parent directory plus the name; a path ending in `.` names the
///   directory itself; a directory output's missing parents are created) and refuses it when it is one of `inputs`, or a
///   directory holding one, through symbolic and hard links too;
/// - takes its lock (see ``OutputError/Reason/locked(_:)``), so two runs never write it at once;
/// - removes what killed runs left beside it (temporaries named `.NAME.polytoken-…`), after
///   putting back a previous output a killed replacement had moved aside;
/// - refuses an existing output unless replacing was asked for, or when it is of the other kind.
///
/// The content is written at ``temporaryPath`` (in the same directory, hence the same
/// filesystem), then ``commit(synchronizingDirectory:)`` moves it into place: a file by `rename`, a directory over an
/// existing one by an atomic exchange (`renameat2(RENAME_EXCHANGE)`), the previous content being
/// removed only once the new one is in place. An output never committed is removed with its
/// temporary and any directory created for it.
public final class AtomicOutput {
    /// What the output is.
    public enum Kind: Sendable {
        /// A single file.
        case file
        /// A directory written whole.
        case directory
    }

    /// The output path, as given.
    public let path: String
    /// What the output is.
    public let kind: Kind
    /// Where to write the content before ``commit(synchronizingDirectory:)``; for a directory it exists, empty.
    public let temporaryPath: String
    /// The output's absolute path (its directory resolved), valid even after a replaced current
    /// directory (`-o .`) was moved away.
    public var resolvedPath: String { destination }
    /// Leftovers of killed runs removed when the output was opened.
    public private(set) var removedLeftovers: [String] = []
    /// A previous output that a killed run had moved aside and that was put back, if any.
    public private(set) var restoredPrevious: String?

    private let destination: String
    private let parent: String
    private let leftoverPrefix: String
    private var lock: OutputLock?
    private var createdDirectories: [String] = []
    private var finished = false
    private var prepared = false

    /// Opens the output at `path`; see the type's description for what is checked.
    public init(_ path: String, kind: Kind, replacing: Bool, inputs: [String] = []) throws {
        self.path = path
        self.kind = kind
        guard !path.isEmpty else { throw OutputError(path, "an empty output path") }
        let name: String
        let last = PathName.name(of: path)
        if last == "." || last == ".." || last == "/" {
            guard let resolved = FileStatus.canonicalPath(path), resolved != "/" else {
                throw OutputError(path, "names no directory entry that could be replaced")
            }
            parent = PathName.directory(of: resolved)
            name = PathName.name(of: resolved)
        } else {
            let parentPath = PathName.directory(of: path)
            name = last
            var created: [String] = []
            if kind == .directory {
                try Self.createDirectories(parentPath, created: &created, output: path)
            } else if FileStatus(path: parentPath)?.kind != .directory {
                throw OutputError(path, "its directory \(parentPath) does not exist")
            }
            guard let resolved = FileStatus.canonicalPath(parentPath) else {
                throw OutputError(path, "cannot resolve its directory: \(systemErrorMessage())")
            }
            parent = resolved
            createdDirectories = created
        }
        destination = PathName.join(parent, name)
        leftoverPrefix = ".\(name).polytoken-"
        temporaryPath = PathName.join(parent, "\(leftoverPrefix)\(getpid()).\(kind == .file ? "tmp" : "partial")")
        do {
            try Self.refuseInputs(inputs, destination: destination, output: path)
            lock = try OutputLock(path: PathName.join(parent, ".\(name).polytoken.lock"), output: path)
            try cleanLeftovers()
            if let existing = FileStatus(path: destination) {
                guard replacing else { throw OutputError(path, .exists) }
                switch (kind, existing.kind) {
                case (.file, .directory): throw OutputError(path, "is a directory")
                case (.directory, .directory), (.file, .regular): break
                case (.directory, _): throw OutputError(path, "exists and is not a directory")
                case (.file, _): throw OutputError(path, "exists and is not a regular file")
                }
            }
            if kind == .directory {
                guard mkdir(temporaryPath, 0o755) == 0 else {
                    throw OutputError(path, "cannot create \(temporaryPath): \(systemErrorMessage())")
                }
            }
        } catch {
            abandon()
            throw error
        }
    }

    /// Whether `name` is one of the hidden files outputs keep beside them while written (a lock,
    /// a temporary, a previous output moved aside), which a copy of a directory should skip.
    public static func isBookkeeping(_ name: String) -> Bool {
        name.hasPrefix(".") && (name.hasSuffix(".polytoken.lock") || name.contains(".polytoken-"))
    }

    /// Whether `path` names this output or something inside it, once resolved (so that another
    /// output is never written where this one's replacement would discard it).
    public func contains(_ path: String) -> Bool {
        let target = FileStatus.resolvedPath(destination), resolved = FileStatus.resolvedPath(path)
        return resolved == target || resolved.hasPrefix(target + "/")
    }

    /// Writes `data` as the file's content and commits it.
    public func write(_ data: Data) throws {
        precondition(kind == .file, "write(_:) is for file outputs")
        do {
            try data.write(to: URL(fileURLWithPath: temporaryPath))
        } catch {
            throw OutputError(path, "cannot write \(temporaryPath): \((error as NSError).localizedDescription)")
        }
        try commit()
    }

    /// Writes the content at ``temporaryPath`` to disk, so that ``commit(synchronizingDirectory:)`` is only the move: for
    /// outputs that must appear together, prepared first and committed one right after another.
    public func prepare() throws {
        precondition(!finished, "a finished output cannot be prepared")
        try synchronize(temporaryPath, recursively: true)
        prepared = true
    }

    /// Moves the content written at ``temporaryPath`` into place and releases the output; unless
    /// `synchronizingDirectory` is false (for all but the last of outputs committed together in
    /// one directory), the directory entry is written to disk before it returns.
    public func commit(synchronizingDirectory: Bool = true) throws {
        precondition(!finished, "an output is committed once")
        if !prepared { try synchronize(temporaryPath, recursively: true) }
        if FileStatus(linkAt: destination) != nil && kind == .directory {
            try exchangeIntoPlace()
        } else if rename(temporaryPath, destination) != 0 {
            throw OutputError(path, "cannot move \(temporaryPath) into place: \(systemErrorMessage())")
        }
        if synchronizingDirectory { try synchronize(parent, recursively: false) }
        finished = true
        lock?.release()
        lock = nil
    }

    /// Removes the temporary content and releases the output (also done when it is discarded uncommitted).
    public func abandon() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: temporaryPath)
        lock?.release()
        lock = nil
        for directory in createdDirectories.reversed() { rmdir(directory) }
    }

    deinit { abandon() }

    private func exchangeIntoPlace() throws {
        if pt_rename_exchange(temporaryPath, destination) == 0 {
            // The temporary path now holds the previous output.
            try? FileManager.default.removeItem(atPath: temporaryPath)
            return
        }
        guard errno == EINVAL || errno == ENOSYS else {
            throw OutputError(path, "cannot move \(temporaryPath) into place: \(systemErrorMessage())")
        }
        // No atomic exchange on this filesystem: move the previous output aside under a name the
        // next run recognizes and puts back, then move the new one in, then remove the previous.
        let aside = PathName.join(parent, "\(leftoverPrefix)\(getpid()).previous")
        guard rename(destination, aside) == 0 else {
            throw OutputError(path, "cannot move the previous output aside: \(systemErrorMessage())")
        }
        guard rename(temporaryPath, destination) == 0 else {
            let message = systemErrorMessage()
            rename(aside, destination)
            throw OutputError(path, "cannot move \(temporaryPath) into place: \(message)")
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    private func cleanLeftovers() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        let leftovers = names.filter { $0.hasPrefix(leftoverPrefix) }.sorted()
        if FileStatus(linkAt: destination) == nil, let previous = leftovers.last(where: { $0.hasSuffix(".previous") }) {
            let from = PathName.join(parent, previous)
            guard rename(from, destination) == 0 else {
                throw OutputError(path, "cannot put back the previous output \(from): \(systemErrorMessage())")
            }
            restoredPrevious = from
        }
        for name in leftovers {
            let leftover = PathName.join(parent, name)
            guard FileStatus(linkAt: leftover) != nil else { continue }
            do {
                try FileManager.default.removeItem(atPath: leftover)
            } catch {
                throw OutputError(path, "cannot remove \(leftover), left by a killed run: \((error as NSError).localizedDescription)")
            }
            removedLeftovers.append(leftover)
        }
    }

    private func synchronize(_ path: String, recursively: Bool) throws {
        guard let status = FileStatus(linkAt: path) else { return }
        if recursively && status.kind == .directory {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                try synchronize(PathName.join(path, name), recursively: true)
            }
        }
        guard status.kind == .regular || status.kind == .directory else { return }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputError(self.path, "cannot open \(path): \(systemErrorMessage())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw OutputError(self.path, "cannot write \(path) to disk: \(systemErrorMessage())") }
    }

    private static func createDirectories(_ path: String, created: inout [String], output: String) throws {
        if let status = FileStatus(path: path) {
            guard status.kind == .directory else { throw OutputError(output, "\(path) is not a directory") }
            return
        }
        let parentPath = PathName.directory(of: path)
        if parentPath != path { try createDirectories(parentPath, created: &created, output: output) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw OutputError(output, "cannot create the directory \(path): \(systemErrorMessage())")
        }
        created.append(path)
    }

    private static func refuseInputs(_ inputs: [String], destination: String, output: String) throws {
        let target = FileStatus.canonicalPath(destination) ?? destination
        let targetStatus = FileStatus(path: destination)
        for input in inputs where input != "-" {
            guard let resolved = FileStatus.canonicalPath(input) else { continue }
            let sameFile = targetStatus.map { status in FileStatus(path: input).map(status.isSameFile) ?? false } ?? false
            if resolved == target || sameFile || resolved.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
                throw OutputError(output, .isInput(input))
            }
        }
    }
}
