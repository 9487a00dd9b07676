"""Training sentences for Hearth's own ASR, written for Hearth (not drawn from any test set).

Commands over a wide space of device names, rooms and numbers (so the model learns letters, not one
home's names), the dialogue words the hub asks for (yes, no, PIN digits, teaching answers), and
everyday sentences that are not commands (so it can write down what it does not understand).
Every sentence is lower case letters, spaces and apostrophes: the model's alphabet.
"""
import random

ROOMS = ['living room', 'kitchen', 'bedroom', 'hallway', 'bathroom', 'office', 'study', 'garage', 'garden', 'porch', 'attic',
         'basement', 'dining room', 'guest room', 'nursery', 'laundry', 'landing', 'lounge', 'den', 'playroom', 'master bedroom',
         'kids room', 'hall', 'cellar', 'patio', 'balcony', 'utility room', 'conservatory', 'loft', 'front room', 'back room',
         'upstairs', 'downstairs', 'shed', 'workshop', 'pantry', 'closet', 'entrance', 'terrace', 'library']
KINDS = ['light', 'lights', 'lamp', 'lamps', 'switch', 'plug', 'fan', 'heater', 'heating', 'blinds', 'curtains', 'shutters', 'tv',
         'television', 'speaker', 'door', 'lock', 'window', 'thermostat', 'radiator', 'kettle', 'oven', 'fridge', 'freezer',
         'dishwasher', 'washing machine', 'dryer', 'vacuum', 'air conditioner', 'humidifier', 'purifier', 'sensor', 'camera',
         'doorbell', 'sprinkler', 'pump', 'boiler', 'garage door', 'gate', 'alarm', 'projector', 'stereo', 'router', 'printer',
         'coffee maker', 'toaster', 'microwave', 'strip', 'bulb', 'spotlight', 'chandelier', 'fountain', 'aquarium', 'socket']
MODIFIERS = ['ceiling', 'desk', 'floor', 'table', 'reading', 'bedside', 'corner', 'wall', 'night', 'side', 'main', 'back', 'front',
             'left', 'right', 'big', 'small', 'little', 'old', 'new', 'blue', 'red', 'green', 'white', 'warm', 'bright', 'smart',
             'outdoor', 'indoor', 'christmas', 'fairy', 'accent', 'mood', 'under cabinet', 'window', 'mirror', 'porch', 'path',
             'pool', 'fish tank', 'tower', 'standing', 'hanging', 'pendant', 'vanity', 'closet', 'stair', 'deck', 'driveway']
NAMES = ['anna', 'ben', 'charlie', 'dana', 'eli', 'freya', 'george', 'hannah', 'isaac', 'jade', 'kevin', 'lucy', 'max', 'nina', 'oscar',
         'priya', 'quinn', 'rosa', 'sam', 'tom', 'uma', 'victor', 'wendy', 'yusuf', 'zoe', 'grandma', 'grandpa', 'mum', 'dad', 'baby']
BRANDS = ['hue', 'ikea', 'sonos', 'shelly', 'tasmota', 'nest', 'ring', 'philips', 'tradfri', 'aqara', 'lifx', 'wemo', 'kasa', 'nanoleaf']
ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen',
        'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']
COLOURS = ['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'white', 'warm white', 'cool white', 'cyan', 'magenta', 'gold']
DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
MODES = ['study mode', 'movie mode', 'reading mode', 'party mode', 'night mode', 'dinner mode', 'relax mode', 'focus mode', 'cozy', 'bright',
         'morning mode', 'gaming mode', 'quiet mode', 'sleep mode', 'romantic']


def number(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + (' ' + ONES[n % 10] if n % 10 else '')
    return ONES[n // 100] + ' hundred' + (' ' + number(n % 100) if n % 100 else '')


def device(r: random.Random) -> str:
    shape = r.random()
    kind = r.choice(KINDS)
    if shape < 0.35:
        return f'{r.choice(ROOMS)} {kind}'
    if shape < 0.6:
        return f'{r.choice(MODIFIERS)} {kind}'
    if shape < 0.7:
        return f"{r.choice(NAMES)}'s {kind}" if r.random() < 0.5 else f'{r.choice(NAMES)} {kind}'
    if shape < 0.78:
        return f'{r.choice(BRANDS)} {kind}'
    if shape < 0.86:
        return f'{kind} {number(r.randint(1, 12))}'
    if shape < 0.93:
        return f'{r.choice(ROOMS)} {r.choice(MODIFIERS)} {kind}'
    return kind


def command(r: random.Random) -> str:
    d = device(r)
    room = r.choice(ROOMS)
    the = 'the ' if r.random() < 0.8 else ''
    onoff = r.choice(['on', 'off'])
    shapes = [
        lambda: f'turn {onoff} {the}{d}',
        lambda: f'switch {onoff} {the}{d}',
        lambda: f'turn {the}{d} {onoff}',
        lambda: f'{the}{d} {onoff}',
        lambda: f'turn {onoff} the lights in the {room}',
        lambda: f'set {the}{d} to {number(r.randint(0, 100))} percent',
        lambda: f'set the {room} to {number(r.randint(10, 30))} degrees',
        lambda: f'set the temperature to {number(r.randint(15, 28))} degrees',
        lambda: f'dim {the}{d}',
        lambda: f'brighten {the}{d}',
        lambda: f'make {the}{d} {r.choice(COLOURS)}',
        lambda: f'set {the}{d} to {r.choice(MODES)}',
        lambda: f'what is the temperature in the {room}',
        lambda: 'what is the temperature' + (' outside' if r.random() < 0.3 else ''),
        lambda: f"what's the humidity in the {room}",
        lambda: f'is {the}{d} {onoff}',
        lambda: f'{r.choice(["lock", "unlock", "open", "close"])} the {r.choice(["front door", "back door", "garage door", "gate", "side door", "window", "blinds", "curtains"])}',
        lambda: f'{r.choice(["open", "close"])} the {room} {r.choice(["blinds", "curtains", "shutters", "window"])}',
        lambda: f'set a timer for {number(r.randint(1, 60))} {r.choice(["minutes", "seconds", "hours"])}',
        lambda: f'add {r.choice(["milk", "eggs", "bread", "coffee", "apples", "rice", "soap", "butter"])} to the shopping list',
        lambda: 'what time is it',
        lambda: f'{r.choice(["start", "stop", "pause"])} the {r.choice(["vacuum", "washing machine", "dishwasher", "music", "robot"])}',
        lambda: f'play {r.choice(["some music", "the radio", "jazz", "the news", "something relaxing"])} in the {room}',
        lambda: f'{r.choice(["turn up", "turn down"])} the {r.choice(["volume", "heating", "music", "fan"])}',
        lambda: f'{r.choice(["please ", "can you ", "could you "])}turn {onoff} {the}{d}',
        lambda: f'turn {onoff} {the}{d} please',
        lambda: f'turn {onoff} {the}{d} in the {room}',
        lambda: f'turn it {onoff}',
        lambda: f'what is {r.choice(MODES)}',
        lambda: f'forget {r.choice(MODES)}',
        lambda: f'{r.choice(MODES)} means {number(r.randint(1, 10) * 10)} percent and {r.choice(COLOURS)}',
    ]
    return r.choice(shapes)()


def dialogue(r: random.Random) -> str:
    x = r.random()
    if x < 0.45:
        return ' '.join(r.choice(DIGITS) for _ in range(r.randint(4, 6)))
    return r.choice(['yes', 'no', 'yes please', 'no thanks', 'never mind', 'cancel', 'stop', "that's wrong", 'no that is wrong', 'the one in the kitchen',
                     'the bedroom one', 'both of them', 'all of them', 'thank you', 'okay', 'sure', 'not now', 'go ahead', 'do it', 'the first one',
                     "i don't know", 'yes do it', 'wait', 'hang on'])


SUBJECTS = ['i', 'we', 'you', 'they', 'my brother', 'her cousin', 'the neighbours', 'our landlord', 'the new teacher', 'a friend of mine',
            'the postman', 'his father', 'nobody', 'everybody', 'the children', 'my boss', 'the team', 'the girls next door', 'the old man',
            'my aunt', 'the plumber', 'the bus driver', 'someone', 'the baker', 'our dog', 'the cat', 'the council', 'the nurse']
VERBS = ['bought', 'forgot', 'painted', 'ordered', 'borrowed', 'cleaned', 'carried', 'found', 'fixed', 'cooked', 'watched', 'sold', 'moved',
         'read', 'checked', 'lost', 'wrote', 'built', 'broke', 'washed', 'planted', 'visited', 'called', 'answered', 'missed', 'packed',
         'counted', 'delivered', 'dropped', 'ignored', 'loved', 'hated', 'needed', 'opened', 'closed', 'explained', 'described', 'followed']
OBJECTS = ['the bicycle', 'a box of oranges', 'the fence', 'four tickets', 'the report', 'an umbrella', 'the last chapter', 'some bread',
           'the table', 'a bowl of soup', 'the window', 'the match', 'a letter', 'the plans', 'two chairs', 'the car', 'a sandwich',
           'the homework', 'the garden', 'the bills', 'a birthday cake', 'the laundry', 'the map', 'the keys', 'a jacket', 'the song',
           'the tomatoes', 'a parcel', 'the piano', 'the phone', 'the photographs', 'the ladder', 'a painting', 'the recipe', 'the budget']
WHEN = ['yesterday', 'this morning', 'after lunch', 'last winter', 'before the storm', 'on monday', 'at midnight', 'during the holidays',
        'an hour ago', 'every sunday', 'last night', 'next week', 'in the afternoon', 'on friday evening', 'twice a week', 'at noon']
QUESTIONS = ['did you see the game last night', 'where did you put my glasses', 'what time does the train leave', 'can we go to the beach',
             'who ate the last biscuit', 'is it going to snow', 'how much was the taxi', 'have you fed the cat', 'should we order pizza',
             'why is the baby crying', 'when is your birthday', 'how was school today', 'do you want some tea', 'where is the nearest bank',
             'what are we having for dinner', 'did anyone call while i was out', 'how long does it take to get there']
ADJ = ['quiet', 'busy', 'cold', 'lovely', 'strange', 'expensive', 'early', 'late', 'tired', 'happy', 'difficult', 'easy', 'funny', 'long']


def everyday(r: random.Random) -> str:
    x = r.random()
    if x < 0.35:
        return f'{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(WHEN)}'
    if x < 0.55:
        return r.choice(QUESTIONS)
    if x < 0.75:
        return f'it was a {r.choice(ADJ)} day and {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}'
    if x < 0.9:
        return f'{r.choice(WHEN)} {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} and {r.choice(OBJECTS)}'
    return f'the {r.choice(ADJ)} {r.choice(["meeting", "film", "trip", "party", "week", "journey"])} lasted {number(r.randint(2, 90))} minutes'


def sentence(r: random.Random) -> str:
    x = r.random()
    if x < 0.62:
        return command(r)
    if x < 0.75:
        return dialogue(r)
    return everyday(r)
