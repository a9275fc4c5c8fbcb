import Foundation
import Support
import Tensors
import TextProcessing
import Tokenization

/// The helper of CLP-Transfer and OMP: a model whose tokenizer has the tokens to place, and
/// whose input embedding relates them to the anchors.
public struct HelperModel: @unchecked Sendable {
    /// The helper's vocabulary, keyed for matching.
    public let vocabulary: HelperVocabulary
    /// The helper's directory.
    public let directory: String
    let embedding: EmbeddingRows

    /// The helper's embedding rows (its vocabulary size, as the transfer sees it).
    public var rows: Int { embedding.rows }

    /// Opens the helper model directory `directory` (tokenizer.json and safetensors weights).
    public init(directory: String, matching: HelperVocabulary.Matching, embeddingTensor: String? = nil) throws {
        self.directory = directory
        vocabulary = try HelperVocabulary(contentsOf: (directory as NSString).appendingPathComponent(ModelFiles.tokenizer), matching: matching)
        let checkpoint = try Checkpoint(directory: directory)
        let layout = try EmbeddingLayout.find(in: checkpoint, tieWordEmbeddings: true, input: embeddingTensor)
        let tensor = checkpoint.tensor(layout.input)!
        embedding = try EmbeddingRows(file: tensor.file, info: tensor.info)
    }

    /// Rows combined by `combination` for the tokens `targets` (id and string in the source's
    /// convention): anchors are the source tokens of `source` with an id below `sourceRows`
    /// that the helper has; targets the helper lacks are left out of the result.
    func transfer(source: Tokenizer, sourceRows: Int, targets: [(id: TokenID, token: [UInt8])], tensors: [EmbeddingRows],
                  combination: any AnchorCombination) throws -> (ids: [TokenID], result: AnchorRows, anchors: [TokenID]) {
        let convention = VocabularyConvention(of: source)
        var anchorSource: [TokenID] = [], anchorHelper: [Int] = []
        for (id, token) in source.model.vocabulary.entries where Int(id) < sourceRows {
            if let helperID = vocabulary.id(matching: token, from: convention), helperID < embedding.rows {
                anchorSource.append(id)
                anchorHelper.append(helperID)
            }
        }
        guard !anchorSource.isEmpty else {
            throw TransferError.helperVocabularyDisjoint(helper: directory)
        }
        var targetIDs: [TokenID] = [], targetHelper: [Int] = []
        for target in targets {
            if let helperID = vocabulary.id(matching: target.token, from: convention), helperID < embedding.rows {
                targetIDs.append(target.id)
                targetHelper.append(helperID)
            }
        }
        let result = try combination.compute(
            targets: embedding.gathering(targetHelper), anchorHelperRows: embedding.gathering(anchorHelper),
            anchorSourceRows: tensors.map { $0.gathering(anchorSource.map { Int($0) }) })
        return (targetIDs, result, anchorSource)
    }
}
