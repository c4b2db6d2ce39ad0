"""The half of rnnbook that publishes the book: the command line (:mod:`.cli`), the runner that
executes notebooks headless (:mod:`.runner`) into a build folder (:mod:`.buildfolder`, with what
it keeps of outputs in :mod:`.outputs`), the HTML book (:mod:`.book`), the reference results
of the README (:mod:`.reference`), the exercises and their grading (:mod:`.assignments`,
:mod:`.grading`) and the Colab badges (:mod:`.colab`).

It may import the library (``rnnbook.*``); the library never imports it.
"""
