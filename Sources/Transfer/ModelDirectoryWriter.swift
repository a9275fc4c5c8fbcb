import Foundation
import Support
import Tensors
import TextProcessing

/// Writes a model directory derived from a source one: the source's weights with some
/// vocabulary tensors replaced (the others copied from the files in chunks), `config.json`
/// with updated sizes (`vocab_size`), the new tokenizer files, the provenance database, and every
/// other file of the source copied. Everything goes to the temporary directory of an
/// `AtomicOutput`, moved into place only when complete; on failure nothing is left behind.
struct ModelDirectoryWriter {
    let source: String
    let checkpoint: Checkpoint
    let config: JSONValue
    /// Files of the source not copied (they are written anew).
    let replacedFiles: Set<String>

    /// Writes the output into `output` and commits it. `configSizes` are set in `config.json`
    /// (replaced where present, appended otherwise); `writeExtras` writes the new tokenizer files
    /// into the temporary directory it is given.
    func write(to output: AtomicOutput, replacements: [String: (shape: [Int], bytes: OwnedBytes)], configSizes: [(key: String, value: Int)],
               provenance: [ProvenanceStore.Record], settings: [(key: String, value: String)],
               progress: (String) -> Void, writeExtras: (String) throws -> Void) throws {
        let fileManager = FileManager.default
        let temporary = output.temporaryPath
        func path(_ name: String) -> String { (temporary as NSString).appendingPathComponent(name) }
        do {
            for name in try fileManager.contentsOfDirectory(atPath: source).sorted() {
                let from = (source as NSString).appendingPathComponent(name)
                guard FileStatus(path: from)?.kind == .regular, !AtomicOutput.isBookkeeping(name), !name.hasSuffix(".safetensors"), !replacedFiles.contains(name),
                      ![ModelFiles.config, ModelFiles.weightsIndex, ModelFiles.provenance].contains(name) else { continue }
                try fileManager.copyItem(atPath: from, toPath: path(name))
            }
            var totalSize = 0
            for file in checkpoint.files {
                let name = (file.path as NSString).lastPathComponent
                progress("writing \(name)")
                let entries = file.tensors.map { tensor -> SafetensorsWriter.Entry in
                    if let replacement = replacements[tensor.name] {
                        return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: replacement.shape,
                                                       content: .bytes(UnsafeRawBufferPointer(replacement.bytes.buffer)))
                    }
                    return SafetensorsWriter.Entry(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, content: .tensor(file, tensor))
                }
                try withExtendedLifetime(replacements) { try SafetensorsWriter.write(entries, metadata: file.metadata, to: path(name)) }
                totalSize += entries.reduce(0) { $0 + ($1.dtype.byteCount(shape: $1.shape) ?? 0) }
            }
            if checkpoint.isSharded {
                try writeIndex(from: (source as NSString).appendingPathComponent(ModelFiles.weightsIndex),
                               to: path(ModelFiles.weightsIndex), totalSize: totalSize)
            }
            try writeConfig(sizes: configSizes, to: path(ModelFiles.config))
            try writeExtras(temporary)
            try ProvenanceStore.write(provenance, settings: settings, to: path(ModelFiles.provenance))
        } catch {
            output.abandon()
            throw error
        }
        try output.commit()
    }

    private func writeConfig(sizes: [(key: String, value: Int)], to path: String) throws {
        guard case .object(var members) = config else { throw TransferError.notAnObject(path: PathName.join(source, ModelFiles.config)) }
        for (key, value) in sizes {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = .number(Double(value))
            } else {
                members.append(JSONMember(key, .number(Double(value))))
            }
        }
        try Data(JSONWriter.pretty(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
    }

    private func writeIndex(from source: String, to path: String, totalSize: Int) throws {
        guard case .object(var members) = try JSONValue.parse(contentsOf: source) else {
            throw TransferError.notAnObject(path: source)
        }
        if let index = members.firstIndex(where: { $0.key == "metadata" }), case .object(var metadata) = members[index].value {
            if let total = metadata.firstIndex(where: { $0.key == "total_size" }) { metadata[total].value = .number(Double(totalSize)) }
            members[index].value = .object(metadata)
        }
        try Data(JSONWriter.pretty(.object(members)).utf8).write(to: URL(fileURLWithPath: path))
    }
}
