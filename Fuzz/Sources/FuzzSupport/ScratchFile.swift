import CFuzzer
import Foundation

/// A file in memory-backed storage that a harness rewrites with each input, for readers that
/// take a path.
public enum ScratchFile {
    /// The directory of this process's scratch files.
    public static let directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(base)/polytoken-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: "/dev/shm/polytoken-fuzz-\(getpid())") }
        return path
    }()

    /// Writes `bytes` to the scratch file `name` and returns its path.
    public static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
        let path = "\(directory)/\(name)"
        guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        if bytes.count > 0 { fwrite(bytes.baseAddress, 1, bytes.count, file) }
        fclose(file)
        return path
    }
}

/// Stops the fuzzer with a message: an input broke an invariant the harness checks.
public func fuzzFailure(_ message: String) -> Never {
    FileHandle.standardError.write(Data("invariant broken: \(message)\n".utf8))
    abort()
}

/// Runs libFuzzer with this process's arguments on the executable's `LLVMFuzzerTestOneInput`.
public func runFuzzer() -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
}
