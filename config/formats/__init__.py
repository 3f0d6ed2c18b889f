"""Our own date and number formats per language (settings.FORMAT_MODULE_PATH).

German as written in Germany (25.11.2026, 1.234,56); English as written in Britain
(25 November 2026, 1,234.56) – never the US month-first order.
"""
