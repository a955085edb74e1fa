<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt 6.11's qtbase_ru.qm leaves in English (their source text
     gained a mnemonic "&"); loaded after qtbase_ru by ui/i18n.py. Compiled by
     scripts/update_translations.sh. -->
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Перейти к:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Типы файлов:</translation>
    </message>
</context>
</TS>
