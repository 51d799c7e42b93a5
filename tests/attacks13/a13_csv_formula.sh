# a13_csv_formula: a submission named =HYPERLINK("http:evil","x")+cmd.py: its id is written unquoted-as-formula into class.csv
cp alice.py 'class7/=HYPERLINK("http:evil","x")+cmd.py'
