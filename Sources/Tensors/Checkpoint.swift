import Foundation
import Support

/// The weights of a model directory: one `model.safetensors`, or shards listed by
/// `model.safetensors.index.json`.
public final class Checkpoint: @unchecked Sendable {
    /// The shard files, in the order of their names.
    public let files: [SafetensorsFile]
    /// The index's `metadata`, when the checkpoint is sharded.
    public let indexMetadata: JSONValue?
    private let fileOfTensor: [String: Int]

    /// Opens the checkpoint of the model directory `directory`.
    public init(directory: String) throws {
        let indexPath = (directory as NSString).appendingPathComponent(ModelFiles.weightsIndex)
        let singlePath = (directory as NSString).appendingPathComponent(ModelFiles.weights)
        var names: [String]
        var mapped: [String: String] = [:]
        if FileManager.default.fileExists(atPath: indexPath) {
            let index = JSONNode(try JSONValue.parse(contentsOf: indexPath), path: indexPath)
            for (tensor, file) in try index.member("weight_map").members() {
                let name = try file.string()
                guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                    throw TensorError(file.path, "shard \(name.debugDescription) is not a file name in the model directory (shards in subdirectories are not supported)")
                }
                mapped[tensor] = name
            }
            names = Array(Set(mapped.values)).sorted()
            indexMetadata = try index.optionalMember("metadata")?.value
        } else if FileManager.default.fileExists(atPath: singlePath) {
            names = [ModelFiles.weights]
            indexMetadata = nil
        } else {
            throw TensorError(directory, "no model.safetensors or model.safetensors.index.json (only safetensors checkpoints are supported)")
        }
        files = try names.map { try SafetensorsFile(path: (directory as NSString).appendingPathComponent($0)) }
        var fileOfTensor: [String: Int] = [:]
        for (index, file) in files.enumerated() {
            for tensor in file.tensors {
                guard fileOfTensor[tensor.name] == nil else { throw TensorError(file.path, "tensor \(tensor.name) also appears in another shard") }
                fileOfTensor[tensor.name] = index
            }
        }
        for (tensor, file) in mapped where fileOfTensor[tensor].map({ names[$0] }) != file {
            throw TensorError(indexPath, "weight_map puts \(tensor) in \(file), which does not hold it")
        }
        self.fileOfTensor = fileOfTensor
    }

    /// The shard holding `name` and the tensor's entry, if present.
    public func tensor(_ name: String) -> (file: SafetensorsFile, info: TensorInfo)? {
        guard let index = fileOfTensor[name], let info = files[index].tensor(name) else { return nil }
        return (files[index], info)
    }

    /// Whether the checkpoint is split over an index.
    public var isSharded: Bool { indexMetadata != nil || files.count > 1 }
}
