"""Charts (QtCharts): trend charts of scores and mood, drawn for the screen and the PDF."""
