// Passwords of 12+ characters that top the public breach corpora (SecLists, HIBP top lists).
// Deliberately small: the minimum length already rules out the short ones, and a long list
// would add weight without much protection. Compared in lower case.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011',
  '111111111111', '000000000000', '123123123123', '121212121212', '112233445566',
  '123412341234', '987654321098', '098765432109', '147258369147', '123qweasdzxc',
  'qwertyuiopas', 'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'qazwsxedcrfv', 'zaq12wsxcde3', 'asdfghjkl123', 'zxcvbnm12345',
  'abcdefghijkl', 'abcd12345678', 'abc123456789', 'a1b2c3d4e5f6', 'aaaaaaaaaaaa',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password123!',
  'password@123', 'p@ssw0rd1234', 'p@ssword1234', 'passw0rd1234', 'mypassword123',
  'changeme1234', 'changeme123!', 'letmein12345', 'welcome12345', 'welcome@1234',
  'welcome123456', 'iloveyou1234', 'iloveyou12345', 'trustno11234', 'sunshine1234',
  'princess1234', 'football1234', 'baseball1234', 'superman1234', 'batman123456',
  'starwars1234', 'master123456', 'dragon123456', 'monkey123456', 'shadow123456',
  'michael12345', 'jennifer1234', 'jordan231234', 'liverpool123', 'chelsea12345',
  'arsenal12345', 'pokemon12345', 'computer1234', 'internet1234', 'administrator',
  'administrator1', 'admin1234567', 'admin12345678', 'adminadmin123', 'root12345678',
  'qwerty12345678', 'qwertyqwerty', 'asdfasdfasdf', 'zxcvzxcvzxcv', 'q1w2e3r4t5y6',
  '1q2w3e4r5t6y7u', 'qweasdzxc123', 'googlegoogle', 'facebook1234', 'linkedin1234',
  'whatever1234', 'nothing12345', 'secret123456', 'mustang12345', 'summer2024!!',
  'summer123456', 'winter123456', 'spring123456', 'autumn123456', 'january12345',
  'december1234', 'hello1234567', 'helloworld12', 'helloworld123', 'blink1821234',
  'correcthorsebatterystaple', 'thequickbrownfox', 'letmeinplease', 'opensesame12', 'statuspage123',
]);
