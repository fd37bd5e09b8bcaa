"""The pages of the journal area (Today, Journal, Search, Check-ins, Sessions, Look back)
and the parts only they show. Pages open dialogs; nothing below imports a page.
"""
