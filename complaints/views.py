from django.shortcuts import render


def home(request):
    """The front page: one click to the report form."""
    return render(request, "home.html")
