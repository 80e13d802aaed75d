import { decodeEntities, stripMentions } from '../../src/modules/slack/slack.mention';

/** What the bot's commands see of a message that mentions it. */

const BOT = 'U0LAN0Z89';

describe('stripMentions', () => {
  it.each([
    ['<@U0LAN0Z89> weather in Paris', 'weather in Paris'],
    ['<@U0LAN0Z89>weather', 'weather'],
    ['<@U0LAN0Z89|jeeves> help', 'help'],
    ['  <@U0LAN0Z89>:  help  ', 'help'],
    ['<@U0LAN0Z89>, remind me to stretch in 5 minutes', 'remind me to stretch in 5 minutes'],
    ['<@U0LAN0Z89>', ''],
    ['', ''],
    ['weather in Paris', 'weather in Paris'],
    ['hey <@U0LAN0Z89> weather', 'hey weather'],
    ['weather <@U0LAN0Z89>', 'weather'],
    ['remind me to call <@U061F7AUR> at 17:00', 'remind me to call <@U061F7AUR> at 17:00'],
    ['<@U061F7AUR> <@U0LAN0Z89> weather', 'weather'],
    ['<@U0LAN0Z89> météo à Zürich', 'météo à Zürich'],
  ])('%j → %j', (text, expected) => {
    expect(stripMentions(text, [BOT])).toBe(expected);
  });

  it('when the bot id is not known, then only the leading address is removed', () => {
    expect(stripMentions('<@U0LAN0Z89> weather <@U0LAN0Z89>')).toBe('weather <@U0LAN0Z89>');
  });
});

describe('decodeEntities', () => {
  it.each([
    ['config set name Tom &amp; Jerry', 'config set name Tom & Jerry'],
    ['remind me to check &lt;that&gt; in 5 minutes', 'remind me to check <that> in 5 minutes'],
    ['&amp;lt; stays literal', '&lt; stays literal'],
    ['plain text', 'plain text'],
  ])('when Slack sends %j, then the command sees %j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});
