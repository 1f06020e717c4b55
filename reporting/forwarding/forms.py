from django import forms

from reporting.forwarding.models import CallbackSurvey


class CallbackForm(forms.Form):
    told_action = forms.ChoiceField(
        label="When you reported it, were you told what action would be taken?",
        choices=CallbackSurvey.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you were told what action would be taken"},
    )
    seriousness = forms.ChoiceField(
        label="How seriously do you think your report was taken?",
        choices=CallbackSurvey.Seriousness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how seriously your report was taken"},
    )
    know_action = forms.ChoiceField(
        label="Do you know what action was taken?",
        choices=CallbackSurvey.YesNo.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you know what action was taken"},
    )
    satisfaction = forms.ChoiceField(
        label="Overall, how satisfied are you with how your report was dealt with?",
        choices=CallbackSurvey.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are"},
    )
