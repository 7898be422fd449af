"""One `action_ask_<slot>` per question of content/questions.yml. Most ask the question as
it is written; the year and the consent question fill in values first, and the callback
question offers to pass on a question answered during the form."""

from actions.callback_form import ActionAskCallbackQuestion, ActionAskConsent
from actions.eigen_bijdrage_form import ActionAskYear
from actions.guided_form import ask_actions

# Kept in a module variable: rasa-sdk finds actions among the subclasses of Action.
ASK_ACTIONS = ask_actions(
    {
        ActionAskYear.slot: ActionAskYear,
        ActionAskConsent.slot: ActionAskConsent,
        ActionAskCallbackQuestion.slot: ActionAskCallbackQuestion,
    }
)
