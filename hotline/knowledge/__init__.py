"""The knowledge base (政府热线知识库): articles operators answer consultations with.

:mod:`.schema` holds the tables, :mod:`.articles` writing, publishing and retiring them with
their version history, :mod:`.search` finding them as the operator types, :mod:`.usage`
answering a case on the spot with one, :mod:`.flags` the operators' reports of a wrong or
outdated article, :mod:`.markup` the small formatting language of an answer.
"""
