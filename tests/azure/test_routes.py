"""Azure clients against a real ``chatbot serve``: Microsoft's CQA SDK and botbuilder-ai's QnA Maker client.

One server runs two projects: ``garden`` (a knowledge base of the tests' own, with tags, related
entries and facets) and ``support`` (imported at fixture time from the QnA Maker TSV export in
``tests/data/azure``, so its QnA ids and multi-turn prompts come from that export).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server needs the 'server' extra")
httpx = pytest.importorskip("httpx")
pytest.importorskip("azure.ai.language.questionanswering", reason="the tests need the 'test' extra")

from azure.ai.language.questionanswering import QuestionAnsweringClient  # noqa: E402
from azure.ai.language.questionanswering.models import (  # noqa: E402
    AnswersOptions,
    KnowledgeBaseAnswerContext,
    MetadataFilter,
    QueryFilters,
)
from azure.core.credentials import AzureKeyCredential  # noqa: E402
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError  # noqa: E402

from chatbot.authoring.convert import convert  # noqa: E402
from chatbot.http.app import create_app  # noqa: E402
from tests.support import DATA  # noqa: E402
from tests.support.live_server import Server, start_server  # noqa: E402

KEY = "azure-test-key"
AZURE = DATA / "azure"
CQA = "/language/:query-knowledgebases"

GARDEN_YAML = """\
name: garden FAQ
messages:
  fallback: "Sorry, the garden FAQ has no answer to that."
urgent:
  - id: poison
    patterns: ['\\bswallowed\\b']
    message: "If someone swallowed garden chemicals, call the poison line now."
facets:
  plant:
    rose: [rose, roses]
    tomato: [tomato, tomatoes]
  aspect:
    water: [water, watering]
    pest: [pest, pests]
entries:
  - id: roses-water
    title: Watering roses
    facets: {plant: rose, aspect: water}
    question: How often should I water roses?
    alternates: [rose watering schedule, how much water do roses need]
    answer: Water roses deeply about twice a week, more often in hot weather.
    source: Roses
    related: [roses-pests, tomato-water]
    tags: {plant: rose, season: summer}
  - id: roses-pests
    title: Rose pests
    facets: {plant: rose, aspect: pest}
    question: What pests attack roses?
    alternates: [aphids on roses, bugs eating my roses]
    answer: Aphids and black spot are the usual problems; wash aphids off with water.
    source: Roses
    related: [roses-water]
    tags: {plant: rose}
  - id: tomato-water
    title: Watering tomatoes
    facets: {plant: tomato, aspect: water}
    question: How often should I water tomatoes?
    alternates: [tomato watering schedule]
    answer: Tomatoes like steady moisture; water at the base every two or three days.
    source: Tomatoes
    related: [tomato-pests]
    tags: {plant: tomato, season: summer}
  - id: tomato-pests
    title: Tomato pests
    facets: {plant: tomato, aspect: pest}
    question: What pests attack tomatoes?
    alternates: [hornworms on tomatoes]
    answer: Hornworms and whiteflies; pick off hornworms by hand.
    source: Tomatoes
    related: [tomato-water]
    tags: {plant: tomato}
  - id: compost
    title: Kompost für Anfänger
    question: How do I make compost?
    alternates: [compost heap, Wie mache ich Kompost?]
    answer: |-
      **Compost** in three steps:

      1. Mix green and brown waste.
      2. Keep it moist.
      3. Turn it every few weeks.
    source: Soil
"""


# -- the server and the clients -----------------------------------------------------------------

@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("azure")
    (directory / "garden.yaml").write_text(GARDEN_YAML, encoding="utf-8")
    convert(AZURE / "qnamaker.tsv", directory / "support.yaml")
    return directory


@pytest.fixture(scope="module")
def server(kb_dir: Path) -> Iterator[Server]:
    kbs = ["--kb", str(kb_dir / "garden.yaml"), "--kb", str(kb_dir / "support.yaml")]
    with start_server(kb_dir, *kbs, env={"CHATBOT_API_KEY": KEY}) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[QuestionAnsweringClient]:
    with QuestionAnsweringClient(server.url, AzureKeyCredential(KEY), retry_total=0) as qa:
        yield qa


def ask(client: QuestionAnsweringClient, project: str = "garden", **kwargs):
    return client.get_answers(project_name=project, deployment_name="production", **kwargs).answers


def prompts(answer) -> list[tuple[int, int, str]]:
    return [(p.display_order, p.qna_id, p.display_text) for p in answer.dialog.prompts]


# -- CQA through Microsoft's client -------------------------------------------------------------

def test_answer_with_confidence_metadata_and_prompts(client):
    answers = ask(client, question="How often should I water roses?", top=3)
    best = answers[0]
    assert best.qna_id == 1  # its position in garden.yaml
    assert best.answer.startswith("Water roses deeply")
    assert 0.9 <= best.confidence <= 1.0
    assert best.source == "Roses"
    assert best.metadata == {"plant": "rose", "season": "summer"}
    assert best.questions == ["How often should I water roses?", "rose watering schedule",
                              "how much water do roses need"]
    assert best.dialog.is_context_only is False
    assert prompts(best) == [(1, 2, "Rose pests"), (2, 3, "Watering tomatoes")]


def test_top_gives_several_answers_best_first(client):
    one = ask(client, question="how often should I water", top=1)
    three = ask(client, question="how often should I water", top=3)
    assert len(one) == 1
    assert 1 < len(three) <= 3
    assert len({a.qna_id for a in three}) == len(three)
    assert [a.confidence for a in three] == sorted((a.confidence for a in three), reverse=True)
    assert {a.qna_id for a in three} >= {1, 3}  # both waterings
    assert one[0].qna_id == three[0].qna_id


def test_follow_up_through_previous_qna_id(client):
    def follow(question: str, previous: int) -> int:
        options = AnswersOptions(question=question, answer_context=KnowledgeBaseAnswerContext(previous_qna_id=previous))
        return client.get_answers(options, project_name="garden", deployment_name="production").answers[0].qna_id

    assert follow("and tomatoes?", previous=1) == 3  # the facets of "watering roses", the plant changed
    assert follow("and the pests?", previous=3) == 4
    assert follow("2", previous=1) == 3  # the second prompt of QnA 1
    assert follow("Rose pests", previous=1) == 2  # a prompt's own text, as Bot Framework sends it
    assert ask(client, question="and tomatoes?")[0].qna_id != 3  # no context: no follow-up


def test_qna_id_asks_for_one_qna(client):
    [answer] = ask(client, qna_id=4)
    assert answer.qna_id == 4
    assert answer.confidence == 1.0
    assert answer.answer.startswith("Hornworms")


def test_no_match_is_the_default_answer_with_id_minus_one(client):
    [answer] = ask(client, question="what is the capital of peru", top=3)
    assert answer.qna_id == -1
    assert answer.confidence == 0.0
    assert answer.answer == "Sorry, the garden FAQ has no answer to that."
    assert answer.source is None


def test_confidence_threshold(client):
    assert ask(client, question="roses watering", confidence_threshold=0.999)[0].qna_id == -1
    assert ask(client, question="How often should I water roses?", confidence_threshold=0.9)[0].qna_id == 1


def test_metadata_and_source_filters(client):
    tomato = QueryFilters(metadata_filter=MetadataFilter(metadata=[("plant", "tomato")]))
    answers = ask(client, question="How often should I water roses?", top=3, filters=tomato)
    assert answers and all(a.metadata["plant"] == "tomato" for a in answers)
    summer_or_soil = QueryFilters(metadata_filter=MetadataFilter(metadata=[("season", "summer")]),
                                  source_filter=["Soil"], logical_operation="OR")
    answers = ask(client, question="how often should I water", top=5, filters=summer_or_soil)
    assert answers and all(a.metadata.get("season") == "summer" or a.source == "Soil" for a in answers)


def test_urgent_and_small_talk_are_no_entries(client):
    [urgent] = ask(client, question="my dog swallowed slug pellets")
    assert urgent.qna_id == 0 and urgent.confidence == 1.0
    assert "poison line" in urgent.answer
    assert ask(client, question="hello")[0].qna_id == 0


def test_markdown_and_non_ascii_come_back_as_written(client):
    [answer] = ask(client, question="Wie mache ich Kompost?")
    assert answer.qna_id == 5
    assert answer.answer.startswith("**Compost** in three steps:\n\n1. Mix")


def test_the_2023_api_version_is_answered(server):
    with QuestionAnsweringClient(server.url, AzureKeyCredential(KEY), api_version="2023-04-01", retry_total=0) as qa:
        assert ask(qa, question="What pests attack roses?")[0].qna_id == 2


def test_wrong_key_is_refused(server):
    qa = QuestionAnsweringClient(server.url, AzureKeyCredential("wrong"), retry_total=0)
    with qa, pytest.raises(ClientAuthenticationError) as raised:
        ask(qa, question="How often should I water roses?")
    assert raised.value.status_code == 401
    assert raised.value.error.code == "Unauthorized"


def test_unknown_project_is_a_404_in_azure_shape(client):
    with pytest.raises(ResourceNotFoundError) as raised:
        ask(client, "orchard", question="How often should I water roses?")
    assert raised.value.status_code == 404
    assert raised.value.error.code == "ProjectNotFound"
    assert "orchard" in raised.value.error.message


def test_malformed_requests_get_400_in_azure_shape(server):
    headers = {"Ocp-Apim-Subscription-Key": KEY}
    params = {"projectName": "garden", "deploymentName": "production", "api-version": "2021-10-01"}
    cases = [({**params, "api-version": "2019-01-01"}, {"question": "roses"}),
             (params, {"question": "roses", "top": 0}),
             (params, {"top": 3}),  # neither question nor qnaId
             (params, {"question": "roses", "confidenceScoreThreshold": 7})]
    for query, body in cases:
        response = httpx.post(server.url + CQA, params=query, json=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "InvalidArgument"


def test_ids_are_stable_across_reloads(server, client):
    before = [(a.qna_id, a.answer) for a in ask(client, question="how often should I water", top=3)]
    reloaded = httpx.post(server.url + "/v1/admin/reload", headers={"Authorization": f"Bearer {KEY}"})
    assert reloaded.json()["ok"] is True
    assert [(a.qna_id, a.answer) for a in ask(client, question="how often should I water", top=3)] == before


# -- an imported QnA Maker export keeps its ids and multi-turn prompts ---------------------------

def test_imported_export_keeps_qna_ids_metadata_and_prompts(client):
    [answer] = ask(client, "support", question="I forgot my password")
    assert answer.qna_id == 1
    assert answer.metadata == {"category": "account", "product": "portal"}
    assert answer.answer.startswith("**Resetting your password**\n\n1. Open *Settings*.")
    assert prompts(answer) == [(1, 2, "Reset link expired"), (2, 3, "Change my e-mail address")]
    context = KnowledgeBaseAnswerContext(previous_qna_id=1)
    options = AnswersOptions(question="Reset link expired", answer_context=context)
    follow = client.get_answers(options, project_name="support", deployment_name="production").answers[0]
    assert follow.qna_id == 2
    assert ask(client, "support", question="Où se trouve votre bureau à Zürich ?")[0].qna_id == 4


# -- QnA Maker through botbuilder-ai ------------------------------------------------------------

def qnamaker(server: Server, kb: str, text: str, options=None, key: str = KEY):
    """botbuilder-ai's own QnAMaker.get_answers_raw, as a Bot Framework bot calls it."""
    from botbuilder.ai.qna import QnAMaker, QnAMakerEndpoint
    from botbuilder.core import TurnContext
    from botbuilder.core.adapters import TestAdapter
    from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

    async def run():
        activity = Activity(type=ActivityTypes.message, text=text, channel_id="test",
                            conversation=ConversationAccount(id="conversation"),
                            from_property=ChannelAccount(id="user"), recipient=ChannelAccount(id="bot"))
        client = QnAMaker(QnAMakerEndpoint(kb, key, server.url + "/qnamaker"))
        try:
            return await client.get_answers_raw(TurnContext(TestAdapter(), activity), options)
        finally:
            await client.close()

    return asyncio.run(run())


def test_botbuilder_gets_answers_prompts_and_metadata(server):
    pytest.importorskip("botbuilder.ai")
    from botbuilder.ai.qna import QnAMakerOptions

    result = qnamaker(server, "garden", "How often should I water roses?", QnAMakerOptions(top=3))
    best = result.answers[0]
    assert best.id == 1
    assert 0.9 <= best.score <= 1.0  # botbuilder divides our 0–100 by 100
    assert best.source == "Roses"
    assert {(m.name, m.value) for m in best.metadata} == {("plant", "rose"), ("season", "summer")}
    assert [(p.display_order, p.qna_id, p.display_text) for p in best.context.prompts] == [
        (1, 2, "Rose pests"), (2, 3, "Watering tomatoes")]
    assert result.active_learning_enabled is False


def test_botbuilder_multi_turn_and_strict_filters(server):
    pytest.importorskip("botbuilder.ai")
    from botbuilder.ai.qna import QnAMakerOptions
    from botbuilder.ai.qna.models import Metadata, QnARequestContext

    clicked = QnAMakerOptions(context=QnARequestContext(previous_qna_id=1), qna_id=3)  # what QnAMakerDialog sends
    assert [a.id for a in qnamaker(server, "garden", "Watering tomatoes", clicked).answers] == [3]
    typed = QnAMakerOptions(context=QnARequestContext(previous_qna_id=1))
    assert qnamaker(server, "garden", "and tomatoes?", typed).answers[0].id == 3
    tomato = QnAMakerOptions(top=3, strict_filters=[Metadata(name="plant", value="tomato")])
    answers = qnamaker(server, "garden", "How often should I water roses?", tomato).answers
    assert answers and all({(m.name, m.value) for m in a.metadata} >= {("plant", "tomato")} for a in answers)
    assert qnamaker(server, "garden", "what is the capital of peru").answers == []  # score 0: botbuilder drops it


def test_generate_answer_shapes_with_botbuilders_body_and_headers(server):
    pytest.importorskip("botbuilder.ai")
    from botbuilder.ai.qna import QnAMakerEndpoint
    from botbuilder.ai.qna.models import GenerateAnswerRequestBody
    from botbuilder.ai.qna.utils.http_request_utils import HttpRequestUtils

    def post(kb: str, key: str = KEY, **fields) -> httpx.Response:
        defaults = {"top": 1, "score_threshold": 0.3, "strict_filters": [], "is_test": False, "ranker_type": "Default"}
        body = json.dumps(GenerateAnswerRequestBody(**{**defaults, **fields}).serialize())
        headers = HttpRequestUtils(None)._get_headers(QnAMakerEndpoint(kb, key, server.url))
        return httpx.post(f"{server.url}/qnamaker/knowledgebases/{kb}/generateAnswer", content=body, headers=headers)

    found = post("garden", question="What pests attack tomatoes?").json()
    assert found["activeLearningEnabled"] is False
    [answer] = found["answers"]
    assert answer["id"] == 4 and 90 <= answer["score"] <= 100
    assert answer["metadata"] == [{"name": "plant", "value": "tomato"}]
    assert answer["context"] == {"isContextOnly": False, "prompts": [
        {"displayOrder": 1, "qnaId": 3, "displayText": "Watering tomatoes"}]}
    missed = post("garden", question="what is the capital of peru").json()["answers"][0]
    assert (missed["id"], missed["score"], missed["answer"]) == (-1, 0, "Sorry, the garden FAQ has no answer to that.")
    strict = post("garden", question="roses watering", score_threshold=99.9).json()["answers"][0]
    assert strict["id"] == -1  # scoreThreshold is on QnA Maker's 0–100 scale

    wrong = post("garden", key="wrong", question="roses")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "Unauthorized"
    unknown = post("orchard", question="roses")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "KbNotFound"
    bad = post("garden", question="roses", top=0)
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "BadArgument"


# -- in process: no key, several files, the schema -----------------------------------------------

def test_without_a_key_the_azure_endpoints_are_open(kb_dir):
    from fastapi.testclient import TestClient

    app = create_app([str(kb_dir / "garden.yaml")], api_key="", cors_origins=[], log_questions=False)
    with TestClient(app) as open_client:
        params = {"projectName": "GARDEN", "deploymentName": "test", "api-version": "2021-10-01"}
        response = open_client.post(CQA, params=params, json={"question": "What pests attack roses?"})
        assert response.status_code == 200  # project names are matched in any case
        assert response.json()["answers"][0]["id"] == 2
        schema = open_client.get("/openapi.json").json()
        assert {CQA, "/qnamaker/knowledgebases/{kbId}/generateAnswer"} <= set(schema["paths"])


def test_each_kb_file_is_a_project_named_after_it(kb_dir, tmp_path):
    from fastapi.testclient import TestClient

    other = "entries:\n  - {id: lawn, question: How do I mow?, answer: Mow high., source: Lawn}\n"
    (tmp_path / "garden.yaml").write_text(other, encoding="utf-8")  # the name is taken: no project, still in /v1
    paths = [str(kb_dir / "garden.yaml"), str(kb_dir / "support.yaml"), str(tmp_path / "garden.yaml")]
    app = create_app(paths, api_key="", cors_origins=[], log_questions=False)
    assert sorted(app.state.live.projects) == ["garden", "support"]
    with TestClient(app) as open_client:
        response = open_client.post("/qnamaker/knowledgebases/support/generateAnswer",
                                    json={"question": "password reset"})
        assert response.json()["answers"][0]["id"] == 1
