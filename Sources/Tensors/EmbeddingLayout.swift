/// Where a model keeps its vocabulary-sized tensors: the input embedding, the output head
/// (absent when tied), and a bias over the vocabulary (BERT/RoBERTa masked-LM heads).
public struct EmbeddingLayout: Sendable, Equatable {
    /// The input embedding `[vocabulary, hidden]`.
    public var input: String
    /// The output head `[vocabulary, hidden]`, or nil when it is tied to the input.
    public var head: String?
    /// Biases over the vocabulary `[vocabulary]`.
    public var biases: [String]

    /// A layout naming its tensors.
    public init(input: String, head: String?, biases: [String] = []) {
        self.input = input
        self.head = head
        self.biases = biases
    }

    /// Names used by the architectures Polytoken knows, most specific first.
    static let inputNames = [
        "model.embed_tokens.weight", "embed_tokens.weight",
        "transformer.wte.weight", "wte.weight",
        "gpt_neox.embed_in.weight", "embed_in.weight",
        "transformer.word_embeddings.weight", "word_embeddings.weight",
        "bert.embeddings.word_embeddings.weight", "roberta.embeddings.word_embeddings.weight",
        "embeddings.word_embeddings.weight", "embedding.weight", "embeddings",
    ]
    static let headNames = ["lm_head.weight", "embed_out.weight", "cls.predictions.decoder.weight", "lm_head.decoder.weight"]
    static let biasNames = ["cls.predictions.bias", "cls.predictions.decoder.bias", "lm_head.bias", "lm_head.decoder.bias"]

    /// Finds the layout in `checkpoint` (Llama, Mistral, Qwen2, Gemma, GPT-2, GPT-NeoX, BLOOM,
    /// BERT, RoBERTa/XLM-R, and static embedding models: sentence-transformers `StaticEmbedding`,
    /// model2vec). A head tensor that is absent, or declared tied by
    /// `tieWordEmbeddings`, makes the head tied. `input`/`head` override the search.
    public static func find(in checkpoint: Checkpoint, tieWordEmbeddings: Bool?, input: String? = nil, head: String? = nil) throws -> EmbeddingLayout {
        let location = checkpoint.files.first?.path ?? "checkpoint"
        let inputName: String
        if let input {
            guard checkpoint.tensor(input) != nil else { throw TensorError(location, "no tensor named \(input)") }
            inputName = input
        } else {
            guard let found = inputNames.first(where: { checkpoint.tensor($0) != nil }) else {
                var error = TensorError(location, "no input embedding found (tried \(inputNames.joined(separator: ", "))); name it")
                error.needsTensorName = true
                throw error
            }
            inputName = found
        }
        var headName: String?
        if let head {
            guard checkpoint.tensor(head) != nil else { throw TensorError(location, "no tensor named \(head)") }
            headName = head
        } else if tieWordEmbeddings != true {
            headName = headNames.first { checkpoint.tensor($0) != nil }
        }
        let rows = checkpoint.tensor(inputName)!.info.shape.first ?? 0
        let biases = biasNames.filter { checkpoint.tensor($0)?.info.shape == [rows] }
        return EmbeddingLayout(input: inputName, head: headName, biases: biases)
    }
}
