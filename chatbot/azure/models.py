"""The wire formats of Azure's endpoints: CQA's ``AnswersOptions``/``AnswersResult`` and QnA Maker's
``generateAnswer`` request and ``QnASearchResultList``, as pydantic models for an exact schema.

Request models ignore fields they do not know, and accept both spellings Azure's clients use
(``previousQnaId`` and QnA Maker's ``previousQnAId``).
"""

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from ..http.limits import MAX_TEXT_CHARS

#: Most answers one request may ask for.
MAX_TOP = 50


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class MetadataPair(_In):
    key: str
    value: str


class MetadataFilter(_In):
    metadata: list[MetadataPair] = []
    logicalOperation: str = Field("AND", description="AND or OR, joining the pairs")


class QueryFilters(_In):
    metadataFilter: MetadataFilter | None = None
    sourceFilter: list[str] = []
    logicalOperation: str = Field("AND", description="AND or OR, joining the metadata and source filters")


class AnswerContext(_In):
    previousQnaId: int | None = Field(None, validation_alias=AliasChoices("previousQnaId", "previousQnAId"))
    previousUserQuery: str | None = None


class ShortAnswerOptions(_In):
    enable: bool = False
    confidenceScoreThreshold: float | None = None
    topAnswersWithSpan: int | None = None


class AnswersOptions(_In):
    """CQA's request body (``AnswersOptions`` in the Azure SDK)."""

    qnaId: int | None = Field(None, description="answer this QnA; takes priority over question")
    question: str | None = Field(None, max_length=MAX_TEXT_CHARS)
    top: int = Field(1, ge=1, le=MAX_TOP)
    userId: str | None = None
    confidenceScoreThreshold: float = Field(0.0, ge=0, le=1)
    context: AnswerContext | None = None
    rankerType: str | None = None
    filters: QueryFilters | None = None
    answerSpanRequest: ShortAnswerOptions | None = None
    includeUnstructuredSources: bool | None = None


class Prompt(BaseModel):
    displayOrder: int
    qnaId: int
    displayText: str


class Dialog(BaseModel):
    isContextOnly: bool
    prompts: list[Prompt]


class KnowledgeBaseAnswer(BaseModel):
    questions: list[str]
    answer: str
    confidenceScore: float
    id: int
    source: str | None = None
    metadata: dict[str, str]
    dialog: Dialog


class AnswersResult(BaseModel):
    answers: list[KnowledgeBaseAnswer]


class StrictFilter(_In):
    name: str
    value: str


class GenerateAnswerRequest(_In):
    """QnA Maker's generateAnswer body, as botbuilder-ai's ``GenerateAnswerRequestBody`` sends it."""

    question: str | None = Field(None, max_length=MAX_TEXT_CHARS)
    top: int = Field(1, ge=1, le=MAX_TOP)
    scoreThreshold: float = Field(0.0, ge=0, le=100)
    context: AnswerContext | None = None
    qnaId: int | None = None
    strictFilters: list[StrictFilter] = []
    strictFiltersCompoundOperationType: str = "AND"
    isTest: bool = False
    rankerType: str | None = None
    userId: str | None = None


class MetadataItem(BaseModel):
    name: str
    value: str


class QnaContext(BaseModel):
    isContextOnly: bool
    prompts: list[Prompt]


class QnaSearchResult(BaseModel):
    questions: list[str]
    answer: str
    score: float
    id: int
    source: str | None = None
    metadata: list[MetadataItem]
    context: QnaContext


class QnaSearchResults(BaseModel):
    answers: list[QnaSearchResult]
    activeLearningEnabled: bool


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail
