# a06b_case_collision: a file named ALICE.py next to alice.py: both become one 'duplicate id' fault, alice ungraded
# <<gallery: dnn/dW_transposed.py>>
