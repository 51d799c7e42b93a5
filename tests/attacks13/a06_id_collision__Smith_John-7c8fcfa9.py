# a06_id_collision: named Smith_John-<sha256('Smith John')[:8]>.py so its results key equals the honest 'Smith John.py' key
# <<gallery: dnn/dW_transposed.py>>
